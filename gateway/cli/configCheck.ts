/**
 * Every problem of a bifrost.json, located: its JSON path and its line and column
 * (found with the editor's own locator, so `validate` and the Problems panel point
 * at the same place). Schema problems first, then what only shows when the gateway
 * resolves the tags (an offset 0 on a device that numbers from 1).
 */
import { locateJsonPath } from '../api/jsonLocator';
import { formatPath, parseConfigText, type BifrostConfig } from '../api/config';
import { resolveTag } from '../tags/resolve';

export interface LocatedProblem {
  path: string;
  /** One-based, as editors and compilers print them. */
  line: number;
  column: number;
  message: string;
}

export type ConfigCheck = { config: BifrostConfig; problems: [] } | { config?: undefined; problems: LocatedProblem[] };

export function checkConfigText(text: string): ConfigCheck {
  const parsed = parseConfigText(text);
  const problems = parsed.ok ? tagProblems(parsed.config) : parsed.problems;
  const located = problems.map((problem) => {
    const { start } = locateJsonPath(text, problem.path, problem.message);
    return { path: problem.path, line: start.line + 1, column: start.character + 1, message: problem.message };
  });
  if (parsed.ok && located.length === 0) return { config: parsed.config, problems: [] };
  return { problems: located };
}

function tagProblems(config: BifrostConfig): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  config.devices.forEach((device, deviceIndex) => {
    device.tags.forEach((tag, tagIndex) => {
      const resolution = resolveTag(tag, { addressBase: device.addressBase });
      if (!resolution.ok) problems.push({ path: formatPath(['devices', deviceIndex, 'tags', tagIndex, 'address']), message: resolution.error });
    });
  });
  return problems;
}

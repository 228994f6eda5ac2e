/**
 * Every problem of a bifrost.json, located: its JSON path and its line and column
 * (found with the editor's own locator, so `validate` and the Problems panel point
 * at the same place): the schema's, and what only shows when the gateway resolves
 * the tags (an offset 0 on a device that numbers from 1), in the file's order.
 */
import { locateJsonPath } from '../api/jsonLocator';
import { formatPath, parseConfigText, Tag, type BifrostConfig } from '../api/config';
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
  // Tags the schema accepts can still fail to resolve: said too when other parts of the file are wrong.
  const problems = parsed.ok ? tagProblems(parsed.config.devices) : [...parsed.problems, ...tagProblems(devicesIn(text))];
  const located = problems.map((problem) => {
    const { start } = locateJsonPath(text, problem.path, problem.message);
    return { path: problem.path, line: start.line + 1, column: start.character + 1, message: problem.message };
  });
  // Top to bottom, as the file reads.
  located.sort((a, b) => a.line - b.line || a.column - b.column);
  if (parsed.ok && located.length === 0) return { config: parsed.config, problems: [] };
  return { problems: located };
}

interface DeviceTags {
  addressBase?: 0 | 1;
  tags: (Tag | undefined)[];
}

function tagProblems(devices: readonly DeviceTags[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  devices.forEach((device, deviceIndex) => {
    device.tags.forEach((tag, tagIndex) => {
      if (!tag) return;
      const resolution = resolveTag(tag, { addressBase: device.addressBase ?? 0 });
      if (!resolution.ok) problems.push({ path: formatPath(['devices', deviceIndex, 'tags', tagIndex, 'address']), message: resolution.error });
    });
  });
  return problems;
}

/** The devices of a file the schema refused, each tag parsed on its own (undefined where it has problems of its own). */
function devicesIn(text: string): DeviceTags[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const devices = (json as { devices?: unknown })?.devices;
  if (!Array.isArray(devices)) return [];
  return devices.map((device: unknown) => {
    const raw = (device ?? {}) as { addressBase?: unknown; tags?: unknown };
    const addressBase = raw.addressBase === 1 ? 1 : 0;
    const tags = Array.isArray(raw.tags) ? raw.tags.map((tag: unknown) => Tag.safeParse(tag)).map((result) => (result.success ? result.data : undefined)) : [];
    return { addressBase, tags };
  });
}

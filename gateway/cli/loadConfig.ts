/** Read and validate a bifrost.json for the CLI; every problem listed with its JSON path. */
import fs from 'node:fs';
import { parseConfigText, type BifrostConfig } from '../api/config';
import { StartupError } from './startupError';

export function loadConfig(file: string): BifrostConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = parseConfigText(text);
  if (parsed.ok) return parsed.config;
  const problems = parsed.problems.map((problem) => `  ${problem.path || '(file)'}: ${problem.message}`).join('\n');
  throw new StartupError(`${file} is not a valid Bifrost configuration:\n${problems}`);
}

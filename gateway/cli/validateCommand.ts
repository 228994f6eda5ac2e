/**
 * `bifrost-gateway validate --config bifrost.json`: every problem with its JSON path
 * and line, as FILE:LINE:COLUMN (terminals and editors make that a link); exit 1 if
 * there is any. For CI, before a config reaches an edge box.
 */
import { parseFlags } from './args';
import { CommandFailedError } from './commandFailed';
import { checkConfigText } from './configCheck';
import { VALIDATE_HELP } from './oneShotHelp';
import { readConfigText } from './loadConfig';
import { UsageError } from './usageError';

const FLAGS = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function validateCommand(args: readonly string[]): Promise<void> {
  const flags = parseFlags('validate', args, FLAGS);
  if (flags.help) {
    process.stdout.write(VALIDATE_HELP);
    return;
  }
  const file = flags.config;
  if (file === undefined) throw new UsageError('--config FILE is required: the bifrost.json to check', 'validate');
  const json = flags.json ?? false;
  const check = checkConfigText(readConfigText(file));
  if (json) {
    process.stdout.write(`${JSON.stringify({ file, valid: check.problems.length === 0, problems: check.problems })}\n`);
  } else if (check.config) {
    const tags = check.config.devices.reduce((sum, device) => sum + device.tags.length, 0);
    process.stdout.write(`${file}: valid (${check.config.devices.length} device(s), ${tags} tag(s), ${check.config.proxies.length} prox${check.config.proxies.length === 1 ? 'y' : 'ies'})\n`);
  } else {
    for (const problem of check.problems) process.stdout.write(`${file}:${problem.line}:${problem.column}: ${problem.path || '(file)'}: ${problem.message}\n`);
  }
  if (check.problems.length > 0) {
    const count = check.problems.length;
    throw new CommandFailedError(`${file} has ${count} problem${count === 1 ? '' : 's'}`, false, { kind: 'invalid', problems: count });
  }
}

/**
 * ADDRESS with --type, --order and --length, as a bifrost.json tag says it: checked
 * by the config's own Tag schema (so `CO:3 --type float32` gets the message the
 * editor shows) and resolved by the poller's resolver. A coil, a discrete input or a
 * bit in a register (HR:10.3) is a bool without being told.
 */
import { parseAddress } from '../api/address';
import { Tag } from '../api/config';
import { plainIssueText } from '../api/plainIssues';
import { resolveTag, type ResolvedTag } from '../tags/resolve';
import { parseInteger } from './args';
import { UsageError } from './usageError';

export const VALUE_FLAGS = {
  type: { type: 'string' },
  order: { type: 'string' },
  length: { type: 'string' },
} as const;

export function parseValueTarget(command: string, address: string | undefined, flags: { type?: string; order?: string; length?: string }): ResolvedTag {
  if (address === undefined) throw new UsageError('the ADDRESS is missing (HR:100, IR:7, CO:12, DI:3, HR:10.3, or Modicon 40101)', command);
  const parsed = parseAddress(address);
  if (!parsed.ok) throw new UsageError(parsed.error, command);
  const single = parsed.address.table === 'coil' || parsed.address.table === 'discreteInput' || parsed.address.bit !== undefined;
  const candidate = {
    name: 'value',
    address,
    type: flags.type ?? (single ? 'bool' : 'uint16'),
    ...(flags.order === undefined ? {} : { order: flags.order.toUpperCase() }),
    ...(flags.length === undefined ? {} : { length: parseInteger(flags.length, '--length', 1, 123, command) }),
  };
  const result = Tag.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    const flag = issue.path[0] === 'type' ? '--type' : issue.path[0] === 'order' ? '--order' : issue.path[0] === 'length' ? '--length' : 'ADDRESS';
    throw new UsageError(plainIssueText(issue, (candidate as Record<string, unknown>)[String(issue.path[0])], flag), command);
  }
  const resolution = resolveTag({ ...result.data, name: address });
  if (!resolution.ok) throw new UsageError(resolution.error, command);
  return resolution.tag;
}

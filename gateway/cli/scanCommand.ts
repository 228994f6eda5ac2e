/**
 * `bifrost-gateway scan URL [--units 1-247] [--timeout MS]`: which unit ids answer on
 * a link, with what they say of themselves (device identification 43/14, server id
 * 17), through the engine's discovery: the same probes as Bifrost: Discover Units.
 */
import type { DiscoveredUnit } from '../api/operations';
import { Engine } from '../engine/engine';
import { silentLogger } from '../engine/logger';
import { parseCommandLine, parseInteger } from './args';
import { CommandFailedError } from './commandFailed';
import { OUTPUT_FLAGS } from './endpointTarget';
import { SCAN_HELP } from './oneShotHelp';
import { stderrLogger } from './stderrLogger';
import { textTable } from './textTable';
import { parseUpstream } from './upstreamUrl';
import { UsageError } from './usageError';

const FLAGS = { units: { type: 'string' }, timeout: { type: 'string' }, ...OUTPUT_FLAGS } as const;

export async function scanCommand(args: readonly string[]): Promise<void> {
  const { flags, positionals } = parseCommandLine('scan', args, FLAGS, ['URL']);
  if (flags.help) {
    process.stdout.write(SCAN_HELP);
    return;
  }
  const [url] = positionals;
  if (url === undefined) throw new UsageError('the URL to scan is missing (tcp://HOST:PORT, rtutcp://HOST:PORT, rtu:///dev/ttyUSB0?baud=19200)', 'scan');
  const transport = parseUpstream(url, 'scan', 'URL');
  const unitIds = parseUnits(flags.units ?? '1-247');
  const timeoutMs = flags.timeout === undefined ? 200 : parseInteger(flags.timeout, '--timeout', 10, 10_000, 'scan');
  const json = flags.json ?? false;
  const engine = new Engine({ logger: flags.verbose ? stderrLogger('debug') : silentLogger });
  const showProgress = !json && process.stderr.isTTY === true;
  if (showProgress) engine.on('discoveryProgress', (progress) => process.stderr.write(`\rprobing unit ${progress.unitId} (${progress.done} of ${progress.total})…`));
  const stop = () => engine.cancelDiscovery();
  process.once('SIGINT', stop);
  let found: DiscoveredUnit[];
  try {
    found = await engine.discover({ transport, unitIds, timeoutMs });
  } catch (error) {
    throw new CommandFailedError(`cannot scan ${url}: ${(error as Error).message}`, json, { kind: 'unreachable' });
  } finally {
    process.off('SIGINT', stop);
    if (showProgress) process.stderr.write('\r\x1b[K');
    await engine.close();
  }
  const range = `${unitIds.from}–${unitIds.to}`;
  if (json) process.stdout.write(`${JSON.stringify({ url, units: unitIds, found })}\n`);
  else if (found.length > 0) process.stdout.write(textTable(['unit', 'vendor', 'product', 'revision', 'server id', 'answers'], found.map(row)));
  if (found.length === 0) throw new CommandFailedError(`no unit id in ${range} answered on ${url} within ${timeoutMs} ms`, false, { kind: 'nothingFound' });
  if (!json) process.stdout.write(`${found.length} unit(s) answered of ${unitIds.to - unitIds.from + 1} probed (${range})\n`);
}

function row(unit: DiscoveredUnit): string[] {
  const id = unit.identification;
  const server = unit.serverId ? `${unit.serverId.id} (${unit.serverId.running ? 'running' : 'stopped'})` : '';
  return [String(unit.unitId), id?.vendorName ?? '', id?.productCode ?? '', id?.revision ?? '', server, unit.answers.join(', ')];
}

/** "1-247", "17", "0-255": one range, as the Discover Units prompt takes it. */
function parseUnits(text: string): { from: number; to: number } {
  const match = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(text.trim());
  const from = match ? Number(match[1]) : NaN;
  const to = match ? Number(match[2] ?? match[1]) : NaN;
  if (!match || from > 255 || to > 255 || from > to) throw new UsageError(`--units takes a unit id or a range of them within 0–255, like 1-247 or 17, not "${text}"`, 'scan');
  return { from, to };
}

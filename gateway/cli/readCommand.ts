/**
 * `bifrost-gateway read URL ADDRESS [--type T] [--order O] [--count N] [--watch MS]`:
 * one value decoded as a tag would be, or with --count the register table; --watch
 * repeats it (in place on a terminal) until Ctrl-C.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCommandLine, parseInteger } from './args';
import { CommandFailedError } from './commandFailed';
import { ENDPOINT_FLAGS, parseEndpoint, withEndpoint, type OpenEndpoint } from './endpointTarget';
import { READ_HELP } from './oneShotHelp';
import { readTable, readValue, type ReadOutcome } from './registerReads';
import { textTable } from './textTable';
import { UsageError } from './usageError';
import { parseValueTarget, VALUE_FLAGS } from './valueTarget';

const FLAGS = { ...ENDPOINT_FLAGS, ...VALUE_FLAGS, count: { type: 'string' }, watch: { type: 'string' } } as const;

export async function readCommand(args: readonly string[]): Promise<void> {
  const { flags, positionals } = parseCommandLine('read', args, FLAGS, ['URL', 'ADDRESS']);
  if (flags.help) {
    process.stdout.write(READ_HELP);
    return;
  }
  const [url, address] = positionals;
  const endpoint = parseEndpoint('read', url, flags);
  const tag = parseValueTarget('read', address, flags);
  const count = flags.count === undefined ? undefined : parseInteger(flags.count, '--count', 1, 0x10000 - tag.offset, 'read');
  if (count !== undefined && tag.bit !== undefined) throw new UsageError(`--count reads whole registers: give ${address!.replace(/\.\d+$/, '')} instead of a bit`, 'read');
  if (count !== undefined && tag.type === 'string') throw new UsageError('--count shows registers; to read one string give --length (its registers) instead', 'read');
  const watchMs = flags.watch === undefined ? undefined : parseInteger(flags.watch, '--watch', 10, 3_600_000, 'read');
  const json = flags.json ?? false;
  const typed = flags.type !== undefined;

  await withEndpoint(endpoint, { json, verbose: flags.verbose ?? false }, async (open) => {
    const readOnce = () => (count === undefined ? readValue(open, tag) : readTable(open, tag, count, typed));
    if (watchMs === undefined) {
      const outcome = await readOnce();
      print(open, outcome, json);
      if (outcome.failure) throw new CommandFailedError(outcome.failure.message, json, failureDetails(outcome));
      return;
    }
    await watch(open, readOnce, watchMs, json);
  });
}

function print(open: OpenEndpoint, outcome: ReadOutcome, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify({ endpoint: open.label, ts: new Date().toISOString(), ...outcome.json })}\n`);
  else process.stdout.write(textTable(outcome.header, outcome.rows));
}

function failureDetails(outcome: ReadOutcome): Record<string, unknown> {
  const code = outcome.failure?.exceptionCode;
  return code === undefined ? { kind: 'device' } : { kind: 'exception', exceptionCode: code };
}

/** Until SIGINT or SIGTERM: a failed round shows its error and the next one tries again, as Modbus Poll does. */
async function watch(open: OpenEndpoint, readOnce: () => Promise<ReadOutcome>, everyMs: number, json: boolean): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const inPlace = !json && process.stdout.isTTY === true;
  try {
    for (let round = 1; !stop.signal.aborted; round++) {
      const started = Date.now();
      const outcome = await readOnce();
      if (stop.signal.aborted) break;
      if (json) print(open, outcome, true);
      else {
        const title = `${open.label} — round ${round}, every ${everyMs} ms — ${new Date().toLocaleTimeString('en-GB')}${inPlace ? ' — Ctrl-C to stop' : ''}`;
        const body = `${title}\n${textTable(outcome.header, outcome.rows)}`;
        // A terminal gets the table redrawn where it was; a pipe or file gets every round, one after another.
        process.stdout.write(inPlace ? `\x1b[H\x1b[2J${body}` : `${body}\n`);
      }
      await sleep(Math.max(0, everyMs - (Date.now() - started)), undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * What read, write and scan are pointed at: a device URL as `proxy --upstream` takes
 * it (tcp://, rtutcp://, rtu:///dev/…?baud=…, ascii://…) with --unit and --timeout,
 * opened through the engine's own sessions, so framing, timeouts, retries and the
 * frames captured are exactly a configured device's.
 */
import { AdHocEndpoint } from '../api/registers';
import { Engine } from '../engine/engine';
import { EndpointUnreachableError, type AdHocSession } from '../engine/adHocSessions';
import { silentLogger } from '../engine/logger';
import type { LinkFrame } from '../transport/frames';
import { parseInteger } from './args';
import { CommandFailedError } from './commandFailed';
import { stderrLogger } from './stderrLogger';
import { parseUpstream } from './upstreamUrl';
import { UsageError } from './usageError';

/** What every command that talks to a device takes: --json, --verbose, --help. */
export const OUTPUT_FLAGS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const ENDPOINT_FLAGS = { unit: { type: 'string' }, timeout: { type: 'string' }, ...OUTPUT_FLAGS } as const;

export function parseEndpoint(command: string, url: string | undefined, flags: { unit?: string; timeout?: string }): AdHocEndpoint {
  if (url === undefined) throw new UsageError('the device URL is missing (tcp://HOST:PORT, rtutcp://HOST:PORT, rtu:///dev/ttyUSB0?baud=19200)', command);
  const transport = parseUpstream(url, command, 'URL');
  if (transport.kind === 'demo') throw new UsageError(`URL "${url}": the demo device is reached by its address; run "bifrost-gateway simulate" and use tcp://127.0.0.1:5020`, command);
  return {
    transport,
    unitId: flags.unit === undefined ? 1 : parseInteger(flags.unit, '--unit', 0, 255, command),
    timeoutMs: flags.timeout === undefined ? 1000 : parseInteger(flags.timeout, '--timeout', 10, 60_000, command),
  };
}

export interface OpenEndpoint extends AdHocSession {
  engine: Engine;
  /** Every frame the link moved since the last take, oldest first; taking empties the list. */
  takeFrames(): LinkFrame[];
}

/** Runs `work` on the connected endpoint, and closes everything after, whatever happened. */
export async function withEndpoint<T>(endpoint: AdHocEndpoint, options: { json: boolean; verbose: boolean }, work: (open: OpenEndpoint) => Promise<T>): Promise<T> {
  let frames: LinkFrame[] = [];
  const engine = new Engine({ logger: options.verbose ? stderrLogger('debug') : silentLogger, onFrame: (frame) => frames.push(frame), captureCapacity: 1000 });
  try {
    let session: AdHocSession;
    try {
      session = await engine.adHoc.open(endpoint);
    } catch (error) {
      if (error instanceof EndpointUnreachableError) throw new CommandFailedError(error.message, options.json, { kind: 'unreachable', endpoint: error.endpoint });
      throw error;
    }
    const takeFrames = () => {
      const taken = frames;
      frames = [];
      return taken;
    };
    return await work({ ...session, engine, takeFrames });
  } finally {
    await engine.close();
  }
}

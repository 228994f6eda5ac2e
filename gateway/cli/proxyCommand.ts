/**
 * `bifrost-gateway proxy --listen 127.0.0.1:PORT --upstream URL`: one proxy and its
 * one upstream device, built as a config and run like `run` would.
 */
import { BifrostConfig, formatPath, type BifrostConfigInput } from '../api/config';
import { plainIssue } from '../api/plainIssues';
import { parseFlags, parseHostPort, parseInteger } from './args';
import { runHeadless } from './headless';
import { PROXY_HELP } from './help';
import { stderrLogger } from './stderrLogger';
import { parseUpstream } from './upstreamUrl';
import { UsageError } from './usageError';

const FLAGS = {
  listen: { type: 'string' },
  upstream: { type: 'string' },
  unit: { type: 'string' },
  'read-only': { type: 'boolean' },
  allow: { type: 'string' },
  'max-clients': { type: 'string' },
  'max-in-flight': { type: 'string' },
  timeout: { type: 'string' },
  'request-timeout': { type: 'string' },
  'reply-unit-id': { type: 'string' },
  retries: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'max-queued': { type: 'string' },
  coalesce: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The name the upstream device and the proxy get in logs and captured frames. */
const UPSTREAM_DEVICE = 'upstream';

export async function proxyCommand(args: readonly string[]): Promise<void> {
  const flags = parseFlags('proxy', args, FLAGS);
  if (flags.help) {
    process.stdout.write(PROXY_HELP);
    return;
  }
  if (flags.upstream === undefined) throw new UsageError('--upstream URL is required (tcp://HOST:PORT, rtutcp://HOST:PORT, rtu:///dev/…)', 'proxy');
  const listen = parseHostPort(flags.listen ?? '127.0.0.1:5020', '--listen', 'proxy');
  const transport = parseUpstream(flags.upstream);
  const unit = flags.unit === undefined ? undefined : integer(flags.unit, '--unit', 0, 255);
  const replyUnitId = flags['reply-unit-id'];
  if (replyUnitId !== undefined && replyUnitId !== 'any' && replyUnitId !== 'match') {
    throw new UsageError(`--reply-unit-id must be "any" (take replies whatever unit id they carry) or "match" (the default: the unit id asked), not "${replyUnitId}"`, 'proxy');
  }
  const input: BifrostConfigInput = {
    devices: [
      {
        name: UPSTREAM_DEVICE,
        transport,
        unitId: unit ?? 1,
        ...(flags.timeout === undefined ? {} : { timeoutMs: integer(flags.timeout, '--timeout', 10, 60_000) }),
        ...(flags['max-in-flight'] === undefined ? {} : { maxInFlight: integer(flags['max-in-flight'], '--max-in-flight', 1, 64) }),
        ...(replyUnitId === undefined ? {} : { replyUnitId }),
      },
    ],
    proxies: [
      {
        name: 'proxy',
        listen,
        device: UPSTREAM_DEVICE,
        // --unit: every request goes to that unit; without it the client's unit id passes through.
        unmappedUnits: unit === undefined ? 'passThrough' : 'device',
        allowedFunctions: flags['read-only'] ? 'read-only' : 'all',
        ...(flags.allow === undefined ? {} : { allow: flags.allow.split(',').filter((rule) => rule !== '') }),
        ...(flags['max-clients'] === undefined ? {} : { maxClients: integer(flags['max-clients'], '--max-clients', 1, 1000) }),
        ...(flags['request-timeout'] === undefined ? {} : { requestTimeoutMs: integer(flags['request-timeout'], '--request-timeout', 10, 600_000) }),
        ...(flags.retries === undefined ? {} : { retries: integer(flags.retries, '--retries', 0, 10) }),
        ...(flags['idle-timeout'] === undefined ? {} : { idleTimeoutMs: integer(flags['idle-timeout'], '--idle-timeout', 1, 86_400) * 1000 }),
        ...(flags['max-queued'] === undefined ? {} : { maxQueued: integer(flags['max-queued'], '--max-queued', 1, 10_000) }),
        ...(flags.coalesce ? { coalesceReads: true } : {}),
      },
    ],
  };
  const parsed = BifrostConfig.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(plainIssue(parsed.error.issues[0], formatPath), 'proxy');
  }
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  const { proxies } = await runHeadless(parsed.data, logger);
  const [info] = proxies.list();
  // On stdout, so a script that asked for port 0 can read which port it got.
  process.stdout.write(`Bifrost proxy listening on ${info.listen.host}:${info.listen.port} → ${flags.upstream}\n`);
}

function integer(text: string, flag: string, min: number, max: number): number {
  return parseInteger(text, flag, min, max, 'proxy');
}

/** `bifrost-gateway serve`: the engine plus the channel, as the extension runs it. */
import type { ReadyLine } from '../api/channel';
import { BifrostConfig } from '../api/config';
import { demoConfig } from '../api/demo';
import { ProxyManager } from '../proxy';
import { createToken } from '../channel/token';
import { Engine } from '../engine/engine';
import { parseFlags, parsePort } from './args';
import { CHANNEL_SECURITY_FLAGS, channelSecurity, describeCertificate } from './channelSecurity';
import { SERVE_HELP } from './help';
import { onShutdown } from './lifecycle';
import { loadConfig } from './loadConfig';
import { openChannel, type OpenChannel } from './openChannel';
import { fanOutLogger, stderrLogger } from './stderrLogger';
import { UsageError } from './usageError';
import { GATEWAY_VERSION } from './version';

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  config: { type: 'string' },
  'stalled-client-timeout': { type: 'string' },
  ...CHANNEL_SECURITY_FLAGS,
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseSeconds(text: string, flag: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(`${flag} takes seconds, more than 0 and at most 3600, not "${text}"`, 'serve');
  }
  return seconds;
}

export async function serve(args: readonly string[]): Promise<void> {
  const flags = parseFlags('serve', args, FLAGS);
  if (flags.help) {
    process.stdout.write(SERVE_HELP);
    return;
  }
  const host = flags.host ?? '127.0.0.1';
  const port = flags.port === undefined ? 0 : parsePort(flags.port, '--port', 'serve');
  const stalledTimeout = flags['stalled-client-timeout'];
  const stuckMs = stalledTimeout === undefined ? undefined : parseSeconds(stalledTimeout, '--stalled-client-timeout') * 1000;
  const security = channelSecurity('serve', host, flags);
  const config = flags.config === undefined ? BifrostConfig.parse(demoConfig()) : loadConfig(flags.config);

  const logger = fanOutLogger(stderrLogger(flags.verbose ? 'debug' : 'info'));
  if (security.tls) logger.log('info', `TLS ${describeCertificate(security.tls.certificate)}`);
  const engine = new Engine({ logger });
  const proxies = new ProxyManager(engine, logger);
  const token = security.token?.value ?? createToken();
  let channel: OpenChannel;
  try {
    channel = await openChannel(engine, proxies, logger, {
      host,
      port,
      token,
      ...(security.tls ? { tls: security.tls } : {}),
      ...(stuckMs === undefined ? {} : { stuckMs }),
      ...(flags.config === undefined ? {} : { configFile: flags.config }),
    });
  } catch (error) {
    await proxies.close();
    await engine.close();
    throw error;
  }
  // Before the ready line: a parent may signal or close stdin as soon as it reads it.
  onShutdown(
    async (why) => {
      logger.log('info', `stopping: ${why}`);
      await channel.close();
      await proxies.close();
      await engine.close();
    },
    { watchStdin: true },
  );
  await engine.apply(config);
  await proxies.apply(config);

  if (security.token) {
    // The operator gave the token and knows it: it is not printed, so it never lands in a log.
    process.stdout.write(`serving on ${channel.url} (the token from ${security.token.from})\n`);
  } else {
    const ready: ReadyLine = { ready: { port: channel.port, token, pid: process.pid, version: GATEWAY_VERSION } };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  }
  logger.log('info', `gateway ${GATEWAY_VERSION} serving on ${channel.url} (pid ${process.pid})`);
}

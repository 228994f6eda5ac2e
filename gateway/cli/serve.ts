/** `bifrost-gateway serve`: the engine plus the channel, as the extension runs it. */
import type { ReadyLine } from '../api/channel';
import { BifrostConfig } from '../api/config';
import { demoConfig } from '../api/demo';
import { bridgeEngineToChannel } from '../channel/bridge';
import { createHandlers } from '../channel/handlers';
import { bridgeProxiesToChannel } from '../channel/proxyHandlers';
import { ProxyManager } from '../proxy';
import { ChannelServer } from '../channel/server';
import { createToken } from '../channel/token';
import { Engine } from '../engine/engine';
import { levelAtLeast } from '../engine/logger';
import { parseFlags, parsePort } from './args';
import { SERVE_HELP } from './help';
import { onShutdown } from './lifecycle';
import { describeListenError } from '../transport/listenError';
import { loadConfig } from './loadConfig';
import { fanOutLogger, stderrLogger } from './stderrLogger';
import { StartupError } from './startupError';
import { UsageError } from './usageError';
import { GATEWAY_VERSION } from './version';

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  config: { type: 'string' },
  'stalled-client-timeout': { type: 'string' },
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
  const config = flags.config === undefined ? BifrostConfig.parse(demoConfig()) : loadConfig(flags.config);

  const logger = fanOutLogger(stderrLogger(flags.verbose ? 'debug' : 'info'));
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    logger.log('warn', `the channel listens on ${host}: only the token protects it, and traffic is not encrypted`);
  }
  const engine = new Engine({ logger });
  const proxies = new ProxyManager(engine, logger);
  const token = createToken();
  const server = new ChannelServer({
    host,
    port,
    token,
    handlers: createHandlers(engine, { version: GATEWAY_VERSION, pid: process.pid }, logger, proxies),
    logger,
    ...(stuckMs === undefined ? {} : { flow: { stuckMs } }),
  });
  let address: { host: string; port: number };
  try {
    address = await server.listen();
  } catch (error) {
    await proxies.close();
    await engine.close();
    throw new StartupError(describeListenError(error as Error, host, port));
  }
  logger.add({
    log: (level, message, device) => {
      if (levelAtLeast(level, 'info')) server.broadcast('log', { level, message, ...(device ? { device } : {}) });
    },
  });
  const unbridgeEngine = bridgeEngineToChannel(engine, server);
  const unbridgeProxies = bridgeProxiesToChannel(proxies, server);
  // Before the ready line: a parent may signal or close stdin as soon as it reads it.
  onShutdown(
    async (why) => {
      logger.log('info', `stopping: ${why}`);
      unbridgeProxies();
      unbridgeEngine();
      await server.close();
      await proxies.close();
      await engine.close();
    },
    { watchStdin: true },
  );
  await engine.apply(config);
  await proxies.apply(config);

  const ready: ReadyLine = { ready: { port: address.port, token, pid: process.pid, version: GATEWAY_VERSION } };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  logger.log('info', `gateway ${GATEWAY_VERSION} serving on ws://${address.host}:${address.port} (pid ${process.pid})`);
}

/**
 * The channel over a running engine, for `serve` (which exists for it) and for
 * `run --serve` (a headless gateway that editors may attach to): handlers, the
 * engine's and proxies' events bridged, log lines forwarded to clients.
 */
import { bridgeEngineToChannel } from '../channel/bridge';
import { createHandlers } from '../channel/handlers';
import { bridgeProxiesToChannel } from '../channel/proxyHandlers';
import { ChannelServer } from '../channel/server';
import type { Engine } from '../engine/engine';
import { levelAtLeast, type Logger } from '../engine/logger';
import type { ProxyManager } from '../proxy';
import { describeListenError } from '../transport/listenError';
import { StartupError } from './startupError';
import { GATEWAY_VERSION } from './version';

export interface ChannelOptions {
  host: string;
  port: number;
  token: string;
  tls?: { cert: Buffer; key: Buffer };
  /** Seconds a connection may stay behind before it is closed (--stalled-client-timeout). */
  stuckMs?: number;
  /** The config file the gateway runs: config.apply is then refused. */
  configFile?: string;
}

export interface OpenChannel {
  /** ws://HOST:PORT/ or wss://HOST:PORT/, as bound (the token goes in ?token=). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function openChannel(engine: Engine, proxies: ProxyManager, logger: Logger & { add(sink: Logger): void }, options: ChannelOptions): Promise<OpenChannel> {
  const info = { version: GATEWAY_VERSION, pid: process.pid, ...(options.configFile === undefined ? {} : { configFile: options.configFile }) };
  const server = new ChannelServer({
    host: options.host,
    port: options.port,
    token: options.token,
    handlers: createHandlers(engine, info, logger, proxies),
    logger,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.stuckMs === undefined ? {} : { flow: { stuckMs: options.stuckMs } }),
  });
  let address: { host: string; port: number };
  try {
    address = await server.listen();
  } catch (error) {
    throw new StartupError(describeListenError(error as Error, options.host, options.port));
  }
  logger.add({
    log: (level, message, device) => {
      if (levelAtLeast(level, 'info')) server.broadcast('log', { level, message, ...(device ? { device } : {}) });
    },
  });
  const unbridgeEngine = bridgeEngineToChannel(engine, server);
  const unbridgeProxies = bridgeProxiesToChannel(proxies, server);
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://${host}:${address.port}/`,
    port: address.port,
    async close() {
      unbridgeProxies();
      unbridgeEngine();
      await server.close();
    },
  };
}

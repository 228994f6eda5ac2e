/** An engine and its proxies in this process, for tests that need to look inside (capture, stats). */
import { BifrostConfig, type BifrostConfigInput } from '../../../gateway/api/config';
import { Engine } from '../../../gateway/engine/engine';
import type { Logger } from '../../../gateway/engine/logger';
import { ProxyManager } from '../../../gateway/proxy';
import { until } from './wait';

export interface ProxyHarness {
  engine: Engine;
  proxies: ProxyManager;
  /** The port the (first) proxy listens on. */
  port: number;
  close(): Promise<void>;
}

const quiet: Logger = { log: () => {} };

export async function startProxyHarness(input: BifrostConfigInput): Promise<ProxyHarness> {
  const config = BifrostConfig.parse(input);
  const engine = new Engine({ logger: quiet });
  const proxies = new ProxyManager(engine, quiet);
  await engine.apply(config);
  await proxies.apply(config);
  let port = 0;
  for (const proxy of config.proxies) {
    const info = await proxies.start(proxy.name);
    if (port === 0) port = info.listen.port;
  }
  for (const device of config.devices) {
    await until(() => engine.session(device.name)?.isConnected === true, 5000, `${device.name} to connect`);
  }
  return {
    engine,
    proxies,
    port,
    close: async () => {
      await proxies.close();
      await engine.close();
    },
  };
}

/** A config with one TCP device and one proxy in front of it on an ephemeral port. */
export function tcpProxyConfig(upstreamPort: number, device: Record<string, unknown> = {}, proxy: Record<string, unknown> = {}): BifrostConfigInput {
  return {
    devices: [{ name: 'Upstream', transport: { kind: 'tcp', host: '127.0.0.1', port: upstreamPort }, ...device }],
    proxies: [{ name: 'P', listen: { port: 0 }, device: 'Upstream', ...proxy }],
  };
}

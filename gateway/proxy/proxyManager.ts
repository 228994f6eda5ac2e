/**
 * The proxies of the applied config: start, stop and list them, and report their
 * state at once and their stats about once a second (proxy.status, proxy.stats).
 *
 * Applying a config stops the proxies it no longer defines or defines differently
 * (their own definition, or what they take from their device: its unit id and how
 * many requests it takes at once), and starts again those that were running, with
 * their new definition, plus every proxy marked autoStart. A tag edit or a device
 * reconnect leaves a proxy and its clients alone: sessions are looked up per
 * request, so a proxy whose device got a new session forwards through it.
 */
import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import type { BifrostConfig, Device } from '../api/config';
import type { ProxyInfo } from '../api/proxies';
import type { ProxyDefinition } from '../api/proxyConfig';
import type { Logger } from '../engine/logger';
import type { DeviceSession } from '../engine/session';
import type { LinkFrame } from '../transport/frames';
import { UnknownProxyError } from './errors';
import { ModbusProxy } from './modbusProxy';

/** What the manager needs of the engine (Engine satisfies it). */
export interface ProxyHost {
  session(device: string): DeviceSession | undefined;
  /** Make the device's session connect (a proxy may front a device that is not enabled for polling). */
  connect(device: string): void;
  recordFrame(frame: LinkFrame): void;
}

export const PROXY_STATS_INTERVAL_MS = 1000;

type ManagerEvents = {
  status: [info: ProxyInfo];
  stats: [infos: ProxyInfo[]];
  /** A proxy answered a client: receipt to reply (metrics/ listens; nobody else needs every answer). */
  answered: [answer: { proxy: string; latencyMs: number; exception: boolean }];
};

export class ProxyManager extends EventEmitter<ManagerEvents> {
  private proxies = new Map<string, ModbusProxy>();
  private devices = new Map<string, Device>();
  private statsTimer?: NodeJS.Timeout;

  constructor(
    private readonly host: ProxyHost,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Take the proxies of `config` (call after the engine applied it). Resolves once restarted ones listen. */
  async apply(config: BifrostConfig): Promise<void> {
    this.devices = new Map(config.devices.map((device) => [device.name, device]));
    const previous = this.proxies;
    const next = new Map<string, ModbusProxy>();
    const restart: string[] = [];
    for (const definition of config.proxies) {
      const old = previous.get(definition.name);
      const device = this.devices.get(definition.device)!;
      if (old && isDeepStrictEqual(old.definition, definition) && isDeepStrictEqual(old.deviceAtStart, proxiedSettings(device))) {
        next.set(definition.name, old);
        previous.delete(definition.name);
        continue;
      }
      if (old && old.state !== 'stopped') restart.push(definition.name);
      else if (definition.autoStart) restart.push(definition.name);
      next.set(definition.name, this.create(definition, device));
    }
    // Stop the old ones first: a restarted proxy usually wants the same port.
    await Promise.all([...previous.values()].map((proxy) => proxy.stop()));
    this.proxies = next;
    for (const proxy of next.values()) if (proxy.definition.autoStart && proxy.state === 'stopped' && !restart.includes(proxy.name)) restart.push(proxy.name);
    const results = await Promise.allSettled(restart.map((name) => this.start(name)));
    for (const result of results) if (result.status === 'rejected') this.logger.log('error', (result.reason as Error).message);
  }

  has(name: string): boolean {
    return this.proxies.has(name);
  }

  async start(name: string): Promise<ProxyInfo> {
    const proxy = this.proxy(name);
    const session = this.host.session(proxy.definition.device);
    if (session && !session.isConnected && session.status.state !== 'connecting') this.host.connect(proxy.definition.device);
    await proxy.start();
    this.updateStatsTimer();
    return proxy.info();
  }

  async stop(name: string): Promise<ProxyInfo> {
    const proxy = this.proxy(name);
    await proxy.stop();
    this.updateStatsTimer();
    return proxy.info();
  }

  /** Stop every running proxy; resolves with how many were running. */
  async stopAll(): Promise<number> {
    const running = [...this.proxies.values()].filter((proxy) => proxy.state !== 'stopped');
    await Promise.all(running.map((proxy) => proxy.stop()));
    this.updateStatsTimer();
    return running.length;
  }

  list(): ProxyInfo[] {
    return [...this.proxies.values()].map((proxy) => proxy.info());
  }

  async close(): Promise<void> {
    await this.stopAll();
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  private create(definition: ProxyDefinition, device: Device): ModbusProxy {
    const host = this.host;
    const concurrency = proxiedSettings(device).concurrency;
    const proxy = new ModbusProxy(
      definition,
      {
        device: device.name,
        deviceUnitId: device.unitId,
        concurrency,
        session: () => host.session(device.name),
        recordFrame: (frame) => host.recordFrame(frame),
        answered: (latencyMs, exception) => {
          if (this.listenerCount('answered') > 0) this.emit('answered', { proxy: definition.name, latencyMs, exception });
        },
      },
      this.logger,
      (changed) => {
        if (this.proxies.get(changed.name) === changed || changed.state !== 'running') this.emit('status', changed.info());
      },
    );
    proxy.deviceAtStart = proxiedSettings(device);
    return proxy;
  }

  private proxy(name: string): ModbusProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new UnknownProxyError(name, [...this.proxies.keys()]);
    return proxy;
  }

  private updateStatsTimer(): void {
    const anyRunning = [...this.proxies.values()].some((proxy) => proxy.state === 'running');
    if (anyRunning && !this.statsTimer) {
      this.statsTimer = setInterval(() => this.tick(), PROXY_STATS_INTERVAL_MS);
      this.statsTimer.unref();
    } else if (!anyRunning && this.statsTimer) {
      clearInterval(this.statsTimer);
      this.statsTimer = undefined;
    }
  }

  private tick(): void {
    const running = [...this.proxies.values()].filter((proxy) => proxy.state === 'running');
    for (const proxy of running) proxy.sampleRate();
    if (running.length > 0) this.emit('stats', running.map((proxy) => proxy.info()));
  }
}

/** What a proxy takes from its device when it starts; a change to anything else leaves it running. */
function proxiedSettings(device: Device): { unitId: number; concurrency: number } {
  // One request at a time on a serial line (the bus serves one anyway); maxInFlight on TCP.
  const concurrency = device.transport.kind === 'tcp' || device.transport.kind === 'demo' ? device.maxInFlight : 1;
  return { unitId: device.unitId, concurrency };
}

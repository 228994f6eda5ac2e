/**
 * The gateway's Prometheus metrics, with prom-client. Nothing here runs on a
 * request's path: per-request counters and histograms are fed by the engine's and
 * the proxies' `exchange`/`answered` events, and everything else (device state, tag
 * values, proxy counters and clients) is read from their snapshots when scraped.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Engine } from '../engine/engine';
import type { MqttStats } from '../mqtt';
import type { ProxyManager } from '../proxy';
import { registerDeviceMetrics } from './deviceMetrics';
import { registerMqttMetrics } from './mqttMetrics';
import { registerProxyMetrics } from './proxyMetrics';
import { ReadinessTracker, type Readiness } from './readiness';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly readiness = new ReadinessTracker();

  constructor(
    private readonly engine: Engine,
    proxies: ProxyManager,
    /** The gateway's version, for bifrost_gateway_info. */
    version: string,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Gauges with a counter's suffix, which promtool rejects; their per-type siblings (nodejs_active_handles{type}) say the same.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    new Gauge({ name: 'bifrost_gateway_info', help: 'The gateway build (always 1)', labelNames: ['version'], registers: [this.registry] }).set({ version }, 1);
    registerDeviceMetrics(this.registry, engine);
    registerProxyMetrics(this.registry, proxies);
    engine.on('status', (status) => this.readiness.noteStatus(status));
  }

  /** Report the MQTT publisher's connection and counts (when the config has "mqtt"). */
  watchMqtt(stats: MqttStats): void {
    registerMqttMetrics(this.registry, stats);
  }

  /** Call once the configuration is applied (devices created and started). */
  configLoaded(): void {
    this.readiness.noteConfigLoaded();
  }

  ready(): Readiness {
    return this.readiness.check(this.engine.snapshot(), (device) => this.engine.deviceConfig(device).enabled);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

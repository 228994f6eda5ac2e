/**
 * The gateway's Prometheus metrics, with prom-client. Nothing here runs on a
 * request's path: per-request counters and histograms are fed by the engine's and
 * the proxies' `exchange`/`answered` events, and everything else (device state, tag
 * values, proxy counters and clients) is read from their snapshots when scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine } from '../engine/engine';
import type { ProxyManager } from '../proxy';
import { ReadinessTracker, type Readiness } from './readiness';

/** Round trips of a Modbus request: a fast TCP device answers in a millisecond, a 9600-baud line in tens, a busy gateway in seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly readiness = new ReadinessTracker();

  constructor(
    private readonly engine: Engine,
    proxies: ProxyManager,
    /** The gateway's version, for bifrost_gateway_info. */
    version: string,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Gauges with a counter's suffix, which promtool rejects; their per-type siblings (nodejs_active_handles{type}) say the same.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    new Gauge({ name: 'bifrost_gateway_info', help: 'The gateway build (always 1)', labelNames: ['version'], registers }).set({ version }, 1);

    const deviceUp = new Gauge({
      name: 'bifrost_device_up',
      help: 'Whether the device is connected and answering (1) or not (0)',
      labelNames: ['device', 'endpoint'],
      registers,
      collect: () => {
        deviceUp.reset();
        for (const device of engine.snapshot()) deviceUp.set({ device: device.name, endpoint: device.endpoint }, device.status.state === 'connected' ? 1 : 0);
      },
    });
    const requests = new Counter({
      name: 'bifrost_device_requests_total',
      help: 'Modbus requests to the device, by function code and outcome (ok, exception, timeout, error)',
      labelNames: ['device', 'function', 'outcome'],
      registers,
    });
    const timeouts = new Counter({ name: 'bifrost_device_timeouts_total', help: 'Requests the device did not answer within its timeout', labelNames: ['device'], registers });
    const reconnects = new Counter({ name: 'bifrost_device_reconnects_total', help: 'Times the link to the device was opened again after the first connect', labelNames: ['device'], registers });
    const roundTrip = new Histogram({
      name: 'bifrost_device_request_duration_seconds',
      help: 'Request to reply (or to timeout), per device',
      labelNames: ['device'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    const lastPoll = new Gauge({
      name: 'bifrost_device_last_successful_poll_timestamp_seconds',
      help: 'Unix time of the last scan that completed while the device answered',
      labelNames: ['device'],
      registers,
    });
    const tagValue = new Gauge({
      name: 'bifrost_tag_value',
      help: 'The latest good value of each numeric or boolean tag (booleans as 0 or 1), scale and offset applied',
      labelNames: ['device', 'tag', 'unit'],
      registers,
      collect: () => {
        tagValue.reset();
        for (const device of engine.snapshot()) {
          for (const tag of device.tags) {
            const reading = tag.value;
            if (!reading || reading.quality !== 'good' || reading.value === null) continue;
            tagValue.set({ device: device.name, tag: tag.name, unit: tag.unit ?? '' }, Number(reading.value));
          }
        }
      },
    });

    const proxyCounter = (name: string, help: string, field: 'requests' | 'errors' | 'exceptions' | 'refused' | 'timeouts') => {
      const counter: Counter = new Counter({
        name,
        help,
        labelNames: ['proxy', 'device'],
        registers,
        // The proxy keeps its own counts; a scrape copies them (a restarted proxy starts from 0, which Prometheus reads as a reset).
        collect: () => {
          counter.reset();
          for (const info of proxies.list()) counter.inc({ proxy: info.name, device: info.device }, info.stats[field]);
        },
      });
    };
    proxyCounter('bifrost_proxy_requests_total', 'Requests received from the proxy\'s clients', 'requests');
    proxyCounter('bifrost_proxy_errors_total', 'Requests the proxy got no device reply for (timeouts, no path, bad frames)', 'errors');
    proxyCounter('bifrost_proxy_exceptions_total', 'Exception responses sent to clients, from the device or the proxy', 'exceptions');
    proxyCounter('bifrost_proxy_refused_total', 'Requests refused by the function filter (exception 01)', 'refused');
    const proxyUp = new Gauge({
      name: 'bifrost_proxy_up',
      help: 'Whether the proxy is listening (1) or not (0)',
      labelNames: ['proxy', 'device'],
      registers,
      collect: () => {
        proxyUp.reset();
        for (const info of proxies.list()) proxyUp.set({ proxy: info.name, device: info.device }, info.state === 'running' ? 1 : 0);
      },
    });
    const proxyClients = new Gauge({
      name: 'bifrost_proxy_clients',
      help: 'Clients connected to the proxy now',
      labelNames: ['proxy', 'device'],
      registers,
      collect: () => {
        proxyClients.reset();
        for (const info of proxies.list()) proxyClients.set({ proxy: info.name, device: info.device }, info.clients.length);
      },
    });
    const proxyLatency = new Histogram({
      name: 'bifrost_proxy_request_duration_seconds',
      help: "A client's request, received to answered, queueing included",
      labelNames: ['proxy'],
      buckets: DURATION_BUCKETS,
      registers,
    });

    const connectedOnce = new Set<string>();
    engine.on('exchange', (exchange) => {
      requests.inc({ device: exchange.device, function: String(exchange.functionCode), outcome: exchange.outcome });
      if (exchange.outcome === 'timeout') timeouts.inc({ device: exchange.device });
      roundTrip.observe({ device: exchange.device }, exchange.elapsedMs / 1000);
    });
    engine.on('connected', (device) => {
      if (connectedOnce.has(device)) reconnects.inc({ device });
      else {
        connectedOnce.add(device);
        // Present from the first connect, so rate() and alerts see a 0 rather than no series.
        reconnects.inc({ device }, 0);
        timeouts.inc({ device }, 0);
      }
    });
    // A scan completes whether its reads succeeded or timed out: it counts while the device answers.
    const states = new Map<string, string>();
    engine.on('read', (tick) => {
      if (states.get(tick.device) === 'connected') lastPoll.set({ device: tick.device }, tick.at / 1000);
    });
    engine.on('status', (status) => {
      states.set(status.device, status.state);
      this.readiness.noteStatus(status);
    });
    proxies.on('answered', (answer) => proxyLatency.observe({ proxy: answer.proxy }, answer.latencyMs / 1000));
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

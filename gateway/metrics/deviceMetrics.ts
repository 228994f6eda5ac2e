/**
 * Per device and per tag: state and tag values read when scraped; requests,
 * timeouts, reconnects and round trips counted from the engine's events.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Engine } from '../engine/engine';
import { DURATION_BUCKETS } from './buckets';
import { scrapedGauge } from './scraped';

export function registerDeviceMetrics(registry: Registry, engine: Engine): void {
  const registers = [registry];
  scrapedGauge(
    registry,
    { name: 'bifrost_device_up', help: 'Whether the device is connected and answering (1) or not (0)', labelNames: ['device', 'endpoint'] },
    function* () {
      for (const device of engine.snapshot()) yield [{ device: device.name, endpoint: device.endpoint }, device.status.state === 'connected' ? 1 : 0];
    },
  );
  scrapedGauge(
    registry,
    {
      name: 'bifrost_tag_value',
      help: 'The latest good value of each numeric or boolean tag (booleans as 0 or 1), scale and offset applied',
      labelNames: ['device', 'tag', 'unit'],
    },
    function* () {
      for (const device of engine.snapshot()) {
        for (const tag of device.tags) {
          const reading = tag.value;
          if (!reading || reading.quality !== 'good' || reading.value === null) continue;
          yield [{ device: device.name, tag: tag.name, unit: tag.unit ?? '' }, Number(reading.value)];
        }
      }
    },
  );

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

  engine.on('exchange', (exchange) => {
    requests.inc({ device: exchange.device, function: String(exchange.functionCode), outcome: exchange.outcome });
    if (exchange.outcome === 'timeout') timeouts.inc({ device: exchange.device });
    roundTrip.observe({ device: exchange.device }, exchange.elapsedMs / 1000);
  });
  const connectedOnce = new Set<string>();
  engine.on('connected', (device) => {
    if (connectedOnce.has(device)) return reconnects.inc({ device });
    connectedOnce.add(device);
    // Present from the first connect, so rate() and alerts see a 0 rather than no series.
    reconnects.inc({ device }, 0);
    timeouts.inc({ device }, 0);
  });
  // A scan completes whether its reads succeeded or timed out: it counts while the device answers.
  const states = new Map<string, string>();
  engine.on('status', (status) => states.set(status.device, status.state));
  engine.on('read', (tick) => {
    if (states.get(tick.device) === 'connected') lastPoll.set({ device: tick.device }, tick.at / 1000);
  });
}

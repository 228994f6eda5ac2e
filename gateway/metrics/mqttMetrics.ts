/** The MQTT publisher's connection and counts, read when scraped. */
import type { Registry } from 'prom-client';
import type { MqttStats } from '../mqtt';
import { scrapedCounter, scrapedGauge } from './scraped';

export function registerMqttMetrics(registry: Registry, stats: MqttStats): void {
  scrapedGauge(registry, { name: 'bifrost_mqtt_connected', help: 'Whether the gateway is connected to its MQTT broker (1) or not (0)', labelNames: [] }, function* () {
    yield [{}, stats.connected ? 1 : 0];
  });
  scrapedCounter(registry, { name: 'bifrost_mqtt_messages_published_total', help: 'MQTT messages the broker took (QoS 1: acknowledged; QoS 0: sent)', labelNames: [] }, function* () {
    yield [{}, stats.published];
  });
  scrapedCounter(
    registry,
    { name: 'bifrost_mqtt_messages_dropped_total', help: 'MQTT messages dropped from the full offline buffer while the broker was unreachable', labelNames: [] },
    function* () {
      yield [{}, stats.dropped];
    },
  );
  scrapedCounter(registry, { name: 'bifrost_mqtt_reconnects_total', help: 'Times the connection to the MQTT broker was made again after the first', labelNames: [] }, function* () {
    yield [{}, stats.reconnects];
  });
}

/**
 * JSON format: each tag's reading on `prefix/device/tag`, retained if asked, on change
 * (past the deadband) or at every scan; `prefix/$gateway/state` says "online" (retained)
 * and the broker says "offline" (the will) when the gateway vanishes. On every
 * (re)connect: the state, what the buffer held, then every tag's latest value, so
 * subscribers never keep a stale one.
 */
import type { TagReadTick, TagValue } from '../api/channel';
import type { MqttConfig } from '../api/mqttConfig';
import type { Logger } from '../engine/logger';
import type { BrokerLink, OutgoingMessage } from './brokerLink';
import type { Will } from './brokerOptions';
import { ChangeFilter } from './changeFilter';
import { parseSetTopic, setTopicFilter, stateTopic, valuePayload, valueTopic } from './jsonTopics';
import type { LatestValues } from './latestValues';
import { parseWritePayload, type MqttWrites } from './writeBack';

export function jsonWill(config: MqttConfig): Will {
  return { topic: stateTopic(config.prefix), payload: Buffer.from('offline'), qos: 1, retain: true };
}

export class JsonPublisher {
  private readonly filter: ChangeFilter;

  constructor(
    private readonly config: MqttConfig,
    private readonly link: BrokerLink,
    private readonly latest: LatestValues,
    private readonly writes: MqttWrites,
    private readonly logger: Logger,
  ) {
    this.filter = new ChangeFilter(config.publish, config.deadband);
    link.on('connect', () => this.onConnect());
    link.on('message', (topic, payload) => void this.onMessage(topic, payload));
  }

  /** The engine's changed readings. */
  values(values: readonly TagValue[]): void {
    for (const reading of values) {
      // At every scan, "scan" publishes from the scan's tick; a reading turned bad or stale may have no tick to come.
      if (this.config.publish === 'scan' && reading.quality === 'good') continue;
      if (this.filter.admit(reading)) this.link.publish(this.message(reading));
    }
  }

  /** A completed scan: with publish "scan", every tag it read goes out. */
  scanned(tick: TagReadTick): void {
    if (this.config.publish !== 'scan') return;
    for (const reading of this.latest.scanned(tick.device, tick.scanMs, tick.at)) this.link.publish(this.message(reading));
  }

  /** The gateway's goodbye on a clean stop, the same word its will says when it dies. */
  goodbye(): OutgoingMessage {
    return { topic: stateTopic(this.config.prefix), payload: 'offline', qos: 1, retain: true };
  }

  private onConnect(): void {
    this.link.subscribe([setTopicFilter(this.config.prefix)]);
    this.link.publish({ topic: stateTopic(this.config.prefix), payload: 'online', qos: 1, retain: true });
    this.link.flushBuffer();
    for (const reading of this.latest.all()) {
      this.filter.admit(reading);
      this.link.publish(this.message(reading));
    }
  }

  private message(reading: TagValue): OutgoingMessage {
    return { topic: valueTopic(this.config.prefix, reading.device, reading.tag), payload: valuePayload(reading), qos: this.config.qos, retain: this.config.retain };
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    const target = parseSetTopic(this.config.prefix, topic);
    if (!target) return;
    const parsed = parseWritePayload(payload);
    const outcome = parsed.ok
      ? await this.writes.write(target.device, target.tag, parsed.value, `mqtt ${topic}`)
      : (this.logger.log('warn', `refused write from mqtt ${topic}: ${parsed.error}`), { ok: false as const, error: parsed.error });
    const result = outcome.ok ? { ok: true, description: outcome.description, value: outcome.readBack } : { ok: false, error: outcome.error };
    this.link.publish({ topic: `${topic}/result`, payload: JSON.stringify(result), qos: 1, retain: false });
  }
}

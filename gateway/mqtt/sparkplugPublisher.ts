/**
 * Sparkplug B edge node: NBIRTH (bdSeq, Node Control/Rebirth) on every connection, a
 * DBIRTH per answering device with every tag as a metric of its datatype, DDATA when
 * values change (or at every scan), DDEATH when a device stops answering and DBIRTH
 * at its first scan once it answers again; NDEATH is the MQTT will. An NCMD
 * `Node Control/Rebirth` republishes the births; DCMD writes tags (if write-back is on).
 * While the broker is unreachable nothing is queued: the births of the next
 * connection carry every metric's latest value, which is how Sparkplug resumes.
 */
import type { DeviceStatus, TagReadTick, TagValue } from '../api/channel';
import type { MqttConfig } from '../api/mqttConfig';
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import type { BrokerLink, OutgoingMessage } from './brokerLink';
import type { Will } from './brokerOptions';
import { ChangeFilter } from './changeFilter';
import type { LatestValues } from './latestValues';
import { decodeSparkplug, encodeSparkplug, metricWriteValue, sparkplugType, type SparkplugMetric } from './sparkplugCodec';
import type { SparkplugSequence } from './sparkplugSequence';
import { dcmdDevice, deviceTopic, nodeTopic, type DeviceMessage, type SparkplugIds } from './sparkplugTopics';
import type { MqttWrites } from './writeBack';

export const REBIRTH_METRIC = 'Node Control/Rebirth';

/** NDEATH, registered as the will of a connection whose NBIRTH carries the same bdSeq. */
export function sparkplugWill(config: MqttConfig, bdSeq: number): Will {
  return { topic: nodeTopic(sparkplugIds(config), 'NDEATH'), payload: encodeSparkplug({ timestamp: Date.now(), metrics: [bdSeqMetric(bdSeq)] }), qos: 1, retain: false };
}

function sparkplugIds(config: MqttConfig): SparkplugIds {
  // The config's check makes both present with format "sparkplugb".
  return { group: config.group!, node: config.node! };
}

export class SparkplugPublisher {
  private readonly ids: SparkplugIds;
  private readonly filter: ChangeFilter;
  /** Devices whose DBIRTH went out in this node session (and no DDEATH since). */
  private readonly born = new Set<string>();
  /** Devices connected now, per their status. */
  private readonly connected = new Set<string>();
  /** Connected devices that completed a scan since connecting: their values are real, a DBIRTH can carry them. */
  private readonly answering = new Set<string>();

  constructor(
    private readonly config: MqttConfig,
    private readonly link: BrokerLink,
    /** The counters whose bdSeq the link's first will carries. */
    private readonly sequence: SparkplugSequence,
    private readonly latest: LatestValues,
    private readonly writes: MqttWrites,
    engine: Engine,
    private readonly logger: Logger,
  ) {
    this.ids = sparkplugIds(config);
    this.filter = new ChangeFilter(config.publish, config.deadband);
    for (const device of engine.snapshot()) if (device.status.state === 'connected') this.connected.add(device.name);
    link.onReconnecting(() => link.setWill(sparkplugWill(config, sequence.nextConnection())));
    link.on('connect', () => this.onConnect());
    link.on('message', (topic, payload) => void this.onMessage(topic, payload));
  }

  /** A clean stop says NDEATH itself: the broker sends no will after a normal disconnect. */
  goodbye(): OutgoingMessage {
    return sparkplugWill(this.config, this.sequence.bdSeq);
  }

  status(status: DeviceStatus): void {
    if (status.state === 'connected') {
      this.connected.add(status.device);
      return;
    }
    this.connected.delete(status.device);
    this.answering.delete(status.device);
    if (!this.born.delete(status.device)) return;
    this.filter.forget(status.device);
    this.send(deviceTopic(this.ids, 'DDEATH', status.device), []);
  }

  values(values: readonly TagValue[]): void {
    const byDevice = new Map<string, SparkplugMetric[]>();
    for (const reading of values) {
      if (!this.born.has(reading.device)) continue;
      if (this.config.publish === 'scan' && reading.quality === 'good') continue;
      if (!this.filter.admit(reading)) continue;
      const metrics = byDevice.get(reading.device) ?? [];
      metrics.push(this.metric(reading.device, reading.tag, reading));
      byDevice.set(reading.device, metrics);
    }
    for (const [device, metrics] of byDevice) this.sendDevice('DDATA', device, metrics);
  }

  /** A completed scan: the first one of an answering device brings its DBIRTH; with "scan", every scan a DDATA. */
  scanned(tick: TagReadTick): void {
    if (!this.connected.has(tick.device)) return;
    this.answering.add(tick.device);
    if (!this.link.connected) return;
    if (!this.born.has(tick.device)) return this.deviceBirth(tick.device);
    if (this.config.publish !== 'scan') return;
    const readings = this.latest.scanned(tick.device, tick.scanMs, tick.at);
    if (readings.length > 0) this.sendDevice('DDATA', tick.device, readings.map((reading) => this.metric(reading.device, reading.tag, reading)));
  }

  private onConnect(): void {
    this.link.subscribe([nodeTopic(this.ids, 'NCMD'), deviceTopic(this.ids, 'DCMD', '+')]);
    this.births();
  }

  /** NBIRTH, then a DBIRTH for every device answering now. Also the answer to a rebirth request. */
  private births(): void {
    this.born.clear();
    const seq = this.sequence.birth();
    const metrics = [bdSeqMetric(this.sequence.bdSeq), { name: REBIRTH_METRIC, type: 'Boolean' as const, value: false }];
    this.link.publish({ topic: nodeTopic(this.ids, 'NBIRTH'), payload: encodeSparkplug({ timestamp: Date.now(), seq, metrics }), qos: 0, retain: false }, 'skip');
    for (const device of this.latest.deviceNames()) if (this.answering.has(device)) this.deviceBirth(device);
  }

  private deviceBirth(device: string): void {
    this.filter.forget(device);
    const metrics = this.latest.tags(device).map((tag) => {
      if (tag.value) this.filter.admit(tag.value);
      return this.metric(device, tag.name, tag.value);
    });
    this.born.add(device);
    this.sendDevice('DBIRTH', device, metrics);
  }

  private metric(device: string, tag: string, reading: TagValue | undefined): SparkplugMetric {
    const config = this.latest.tag(device, tag)?.config;
    const type = config ? sparkplugType(config) : 'Double';
    const good = reading?.quality === 'good';
    // A bad or stale reading, or a tag not read yet, is a null metric (is_null), not a made-up value.
    let value: SparkplugMetric['value'] = null;
    if (good && reading) value = type === 'String' || ((type === 'Int64' || type === 'UInt64') && reading.text !== undefined) ? (reading.text ?? null) : reading.value;
    return { name: tag, type, value, timestamp: reading?.ts ?? Date.now() };
  }

  private sendDevice(type: DeviceMessage, device: string, metrics: SparkplugMetric[]): void {
    this.send(deviceTopic(this.ids, type, device), metrics);
  }

  private send(topic: string, metrics: SparkplugMetric[]): void {
    // Skipped messages must not use up a seq: a host would take the gap for a lost message.
    if (!this.link.connected) return;
    this.link.publish({ topic, payload: encodeSparkplug({ timestamp: Date.now(), seq: this.sequence.next(), metrics }), qos: 0, retain: false }, 'skip');
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    const device = dcmdDevice(this.ids, topic);
    const isNcmd = topic === nodeTopic(this.ids, 'NCMD');
    if (!isNcmd && device === undefined) return;
    let metrics: SparkplugMetric[];
    try {
      metrics = decodeSparkplug(payload).metrics ?? [];
    } catch (error) {
      this.logger.log('warn', `mqtt: ${topic} is not a Sparkplug B payload (${(error as Error).message}); ignored`);
      return;
    }
    if (isNcmd) {
      if (metrics.some((metric) => metric.name === REBIRTH_METRIC && metric.value === true)) {
        this.logger.log('info', `mqtt: rebirth requested on ${topic}: publishing NBIRTH and DBIRTHs`);
        this.births();
      }
      return;
    }
    for (const metric of metrics) {
      const value = metricWriteValue(metric.value);
      if (metric.name === undefined || metric.name === null || value === undefined) {
        this.logger.log('warn', `mqtt: refused a DCMD metric on ${topic}: it needs a tag name and a number, boolean or text value`);
        continue;
      }
      await this.writes.write(device!, metric.name, value, `Sparkplug DCMD ${topic}`);
    }
  }
}

function bdSeqMetric(bdSeq: number): SparkplugMetric {
  return { name: 'bdSeq', type: 'Int64', value: bdSeq, timestamp: Date.now() };
}

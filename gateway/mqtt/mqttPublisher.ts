/**
 * MQTT publishing of a headless gateway: one broker connection, the engine's tag
 * values fed to the JSON or the Sparkplug B publisher, writes from MQTT through the
 * engine's tag write. Started before the engine applies the config, so the first
 * values are not missed.
 */
import type { DeviceStatus, TagReadTick, TagValue } from '../api/channel';
import type { MqttConfig } from '../api/mqttConfig';
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import { BrokerLink, type MqttStats, type OutgoingMessage } from './brokerLink';
import { brokerOptions, safeUrl } from './brokerOptions';
import { JsonPublisher, jsonWill } from './jsonPublisher';
import { LatestValues } from './latestValues';
import { SparkplugPublisher, sparkplugWill } from './sparkplugPublisher';
import { SparkplugSequence } from './sparkplugSequence';
import { MqttWrites } from './writeBack';

export interface MqttPublisher {
  readonly stats: MqttStats;
  close(): Promise<void>;
}

interface FormatPublisher {
  values(values: readonly TagValue[]): void;
  scanned(tick: TagReadTick): void;
  status?(status: DeviceStatus): void;
  goodbye(): OutgoingMessage;
}

/** Throws MqttSetupError when the section cannot be used (password variable unset, unreadable TLS file). */
export function startMqttPublisher(config: MqttConfig, engine: Engine, logger: Logger, env: NodeJS.ProcessEnv = process.env): MqttPublisher {
  const latest = new LatestValues(engine);
  const writes = new MqttWrites(engine, logger, config.writeBack);
  let publisher: FormatPublisher;
  let link: BrokerLink;
  if (config.format === 'sparkplugb') {
    const sequence = new SparkplugSequence();
    // No offline buffer: the births of the next connection carry every latest value.
    link = new BrokerLink(config.url, brokerOptions(config, sparkplugWill(config, sequence.bdSeq), env), 0, logger);
    publisher = new SparkplugPublisher(config, link, sequence, latest, writes, engine, logger);
  } else {
    link = new BrokerLink(config.url, brokerOptions(config, jsonWill(config), env), config.bufferLimit, logger);
    publisher = new JsonPublisher(config, link, latest, writes, logger);
  }
  logger.log('info', `mqtt: publishing ${config.format === 'sparkplugb' ? `Sparkplug B as ${config.group}/${config.node}` : `JSON under ${config.prefix}/`} to ${safeUrl(config.url)}${config.writeBack ? ', write-back on' : ''}`);

  link.start();

  const onDevices = () => latest.sync();
  const onValues = (values: TagValue[]) => publisher.values(latest.update(values));
  const onRead = (tick: TagReadTick) => publisher.scanned(tick);
  const onStatus = (status: DeviceStatus) => publisher.status?.(status);
  engine.on('devicesChanged', onDevices);
  engine.on('values', onValues);
  engine.on('read', onRead);
  engine.on('status', onStatus);
  return {
    stats: link.stats,
    async close() {
      engine.off('devicesChanged', onDevices);
      engine.off('values', onValues);
      engine.off('read', onRead);
      engine.off('status', onStatus);
      await link.close(publisher.goodbye());
    },
  };
}

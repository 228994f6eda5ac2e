/**
 * The gateway's one connection to the broker. Publishes while connected; while not,
 * holds messages in a bounded buffer (oldest dropped first, and the drop is logged
 * with its count) or, for messages a reconnect makes pointless (Sparkplug data, which
 * the births after a reconnect carry anew), skips them. Reconnects every second;
 * counts what the metrics report.
 */
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../engine/logger';
import type { Will } from './brokerOptions';
import { safeUrl } from './brokerOptions';
import { OfflineBuffer } from './offlineBuffer';

const CLOSE_GRACE_MS = 2000;

export interface OutgoingMessage {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1;
  retain: boolean;
}

export interface MqttStats {
  connected: boolean;
  published: number;
  dropped: number;
  reconnects: number;
}

type LinkEvents = {
  /** Connected (first time or again): publish the state, the births, the latest values. */
  connect: [];
  message: [topic: string, payload: Buffer];
};

export class BrokerLink extends EventEmitter<LinkEvents> {
  private readonly client: MqttClient;
  private readonly buffer: OfflineBuffer<OutgoingMessage>;
  private readonly url: string;
  private everConnected = false;
  /** The connection now up is the first since start: what was buffered waited for it, nothing went offline. */
  private firstConnection = false;
  private lastError = '';
  private droppingSaid = false;
  private closing = false;
  readonly stats: MqttStats = { connected: false, published: 0, dropped: 0, reconnects: 0 };

  constructor(
    url: string,
    options: IClientOptions,
    bufferLimit: number,
    private readonly logger: Logger,
  ) {
    super();
    this.url = safeUrl(url);
    this.buffer = new OfflineBuffer(bufferLimit);
    // Connected by start(), once the publisher has set the will and its listeners.
    this.client = mqtt.connect(url, { ...options, manualConnect: true });
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.onClose());
    this.client.on('error', (error) => this.onError(error));
    this.client.on('message', (topic, payload) => this.emit('message', topic, payload));
  }

  start(): void {
    this.client.connect();
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** The will the next connect sends (Sparkplug's NDEATH carries the next bdSeq). */
  setWill(will: Will): void {
    this.client.options.will = will;
  }

  /** Called just before each reconnect attempt (Sparkplug moves its bdSeq on here). */
  onReconnecting(listener: () => void): void {
    this.client.on('reconnect', listener);
  }

  publish(message: OutgoingMessage, whenOffline: 'buffer' | 'skip' = 'buffer'): void {
    if (this.client.connected) return this.send(message);
    if (whenOffline === 'skip') return;
    if (!this.buffer.push(message)) return;
    this.stats.dropped++;
    if (!this.droppingSaid) {
      this.droppingSaid = true;
      this.logger.log('warn', `mqtt: ${this.url} still unreachable and the offline buffer is full (${this.buffer.limit} messages): dropping the oldest; every tag's latest value is published on reconnect`);
    }
  }

  /** Send what the buffer held while offline, oldest first, and say what was dropped. */
  flushBuffer(): void {
    const { items, dropped } = this.buffer.drain();
    this.droppingSaid = false;
    if (items.length > 0 || dropped > 0) {
      const lost = dropped > 0 ? `; ${dropped} older message${dropped === 1 ? ' was' : 's were'} dropped while offline (buffer limit ${this.buffer.limit})` : '';
      const held = this.firstConnection ? 'held until the broker first answered' : 'held while offline';
      this.logger.log(dropped > 0 ? 'warn' : 'info', `mqtt: sending ${items.length} message${items.length === 1 ? '' : 's'} ${held}${lost}`);
    }
    for (const message of items) this.send(message);
  }

  subscribe(topics: string[]): void {
    this.client.subscribe(topics, { qos: 1 }, (error) => {
      if (error) this.logger.log('error', `mqtt: cannot subscribe to ${topics.join(', ')}: ${error.message}`);
    });
  }

  /** Publish `last` (the gateway's own goodbye, in place of its will) and disconnect. */
  async close(last?: OutgoingMessage): Promise<void> {
    this.closing = true;
    if (last && this.client.connected) {
      const sent = new Promise<void>((resolve) => this.client.publish(last.topic, last.payload, { qos: last.qos, retain: last.retain }, () => resolve()));
      // A broker that stopped acknowledging must not hold the gateway's shutdown.
      await Promise.race([sent, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
    }
    await this.client.endAsync(!this.client.connected);
  }

  private send(message: OutgoingMessage): void {
    this.client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain }, (error) => {
      if (!error) this.stats.published++;
    });
  }

  private onConnect(): void {
    this.stats.connected = true;
    if (this.everConnected) this.stats.reconnects++;
    this.logger.log('info', `mqtt: ${this.everConnected ? 'reconnected' : 'connected'} to ${this.url}`);
    this.firstConnection = !this.everConnected;
    this.everConnected = true;
    this.lastError = '';
    this.emit('connect');
  }

  private onClose(): void {
    const was = this.stats.connected;
    this.stats.connected = false;
    if (!was || this.closing) return;
    const holding = this.buffer.limit > 0 ? `, holding up to ${this.buffer.limit} messages meanwhile` : '';
    this.logger.log('warn', `mqtt: lost ${this.url}; reconnecting every second${holding}`);
  }

  private onError(error: Error): void {
    // One line per kind of trouble, not one per retry every second.
    if (error.message === this.lastError) return;
    this.lastError = error.message;
    this.logger.log('warn', `mqtt: ${this.url}: ${error.message}`);
  }
}

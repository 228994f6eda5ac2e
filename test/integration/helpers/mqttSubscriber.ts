/** An MQTT subscriber that keeps every message it receives, for tests to wait on. */
import mqtt, { type MqttClient } from 'mqtt';
import { within } from './wait';

export interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
  /** The QoS the broker delivered it at: the lower of the publisher's and the subscription's (1). */
  qos: number;
  at: number;
}

export class RecordingSubscriber {
  readonly messages: Received[] = [];
  /** Subscriptions made so far: 1 after connect, one more after each reconnect. */
  subscriptions = 0;
  private waiters: { test: (message: Received) => boolean; resolve: (message: Received) => void }[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message = { topic, payload, retain: packet.retain, qos: packet.qos, at: Date.now() };
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (!waiter.test(message)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    });
  }

  /** Connected and subscribed to `filters` (reconnects by itself every 100 ms if the broker goes away). */
  static async connect(url: string, filters: string[]): Promise<RecordingSubscriber> {
    const client = mqtt.connect(url, { reconnectPeriod: 100, clean: true });
    const subscriber = new RecordingSubscriber(client);
    await within(new Promise<void>((resolve) => client.once('connect', () => resolve())), 10_000, `a connection to ${url}`);
    await client.subscribeAsync(filters, { qos: 1 });
    subscriber.subscriptions++;
    // Subscribe again after each reconnect: a restarted broker without persistence forgot us.
    client.on('connect', () => {
      client.subscribeAsync(filters, { qos: 1 }).then(
        () => subscriber.subscriptions++,
        () => undefined,
      );
    });
    return subscriber;
  }

  /** The first message received (from index `from` on; pass `messages.length` for only what comes next) that passes `test`. */
  next(test: (message: Received) => boolean, what: string, timeoutMs = 15_000, from = 0): Promise<Received> {
    const seen = this.messages.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return within(new Promise<Received>((resolve) => this.waiters.push({ test, resolve })), timeoutMs, what);
  }

  on(topic: string): Received[] {
    return this.messages.filter((message) => message.topic === topic);
  }

  publish(topic: string, payload: string | Buffer): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { qos: 1 });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}

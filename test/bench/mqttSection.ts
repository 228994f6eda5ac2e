/**
 * MQTT: one gateway (`bifrost-gateway run`) publishing 10,000 tags at 1 Hz as JSON
 * (publish "scan": every tag every second, QoS 1, retained: the defaults but the
 * publish mode) to a local mosquitto, and a subscriber in the bench process timing
 * each message from its poll (the value's ts) to its arrival. The floor: a bare mqtt.js
 * publisher sending the same messages through the same broker to the same subscriber.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import mqtt from 'mqtt';
import { startChild, startNodeChild, stopChild } from './children';
import { startBroker } from './mqttBroker';
import { cpuMsAllThreads } from './procStats';
import { builtPrograms } from './programs';
import { num, table, verdict } from './report';
import { startFastServer } from './servers';
import { percentile } from './stats';

const DEVICES = 10;
const TAGS_PER_DEVICE = 1000;
const TAGS = DEVICES * TAGS_PER_DEVICE;
const MEASURE_S = 20;
const FLOOR_S = 10;
const QOS = 1;
const GOALS = { deliveredShare: 0.99, p99Ms: 1000, cpuShare: 0.5 };

/** Every value message received: the poll time it carries (ts) and when it arrived, both epoch ms. */
interface Arrival {
  ts: number;
  at: number;
}

/** Keeps the ts and arrival time of every message under a filter. */
class TimingSubscriber {
  readonly arrivals: Arrival[] = [];

  private constructor(private readonly client: mqtt.MqttClient) {
    client.on('message', (_topic, payload) => {
      // prefix/+/+ also matches prefix/$gateway/state ("online"): only JSON values count.
      if (payload[0] !== 0x7b) return;
      const ts = (JSON.parse(payload.toString()) as { ts?: number }).ts;
      if (typeof ts === 'number') this.arrivals.push({ ts, at: Date.now() });
    });
  }

  static async connect(url: string, filter: string): Promise<TimingSubscriber> {
    const client = await mqtt.connectAsync(url, { clientId: `bench-subscriber-${filter.replace(/\W/g, '')}`, clean: true });
    await client.subscribeAsync(filter, { qos: QOS });
    return new TimingSubscriber(client);
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}

interface Figures {
  rate: number;
  p50: number;
  p99: number;
  cpuShare?: number;
}

/**
 * The messages of the polls (or publishes) made in [from, from + seconds), however late they
 * arrived: a window on the values' own time, so it holds whole rounds, not a window's edges
 * cutting a burst of 10,000 in two.
 */
function figures(arrivals: readonly Arrival[], from: number, seconds: number, cpuShare?: number): Figures {
  const inWindow = arrivals.filter((arrival) => arrival.ts >= from && arrival.ts < from + seconds * 1000);
  const sorted = inWindow.map((arrival) => arrival.at - arrival.ts).sort((a, b) => a - b);
  return { rate: inWindow.length / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), cpuShare };
}

/** Time for the last messages of a window to arrive. */
const SETTLE_MS = 5000;

export async function mqttSection(progress: (message: string) => void): Promise<string[]> {
  const broker = await startBroker();
  const device = await startFastServer();
  let gateway: ChildProcess | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-bench-mqtt-'));
  try {
    progress(`mqtt: the gateway publishing ${TAGS} tags at 1 Hz for ${MEASURE_S} s`);
    const subscriber = await TimingSubscriber.connect(broker.url, 'bench/+/+');
    const tags = Array.from({ length: TAGS_PER_DEVICE }, (_, i) => ({ name: `t${i}`, address: `HR:${i}` }));
    const config = {
      devices: Array.from({ length: DEVICES }, (_, i) => ({ name: `d${i}`, transport: { kind: 'tcp', host: '127.0.0.1', port: device.port }, pollMs: 1000, tags })),
      mqtt: { url: broker.url, prefix: 'bench', publish: 'scan', qos: QOS, retain: true },
    };
    const configPath = path.join(dir, 'bifrost.json');
    fs.writeFileSync(configPath, JSON.stringify(config));
    gateway = (await startChild(process.execPath, [builtPrograms().gatewayJs, 'run', '--config', configPath], /mqtt: connected/, 30_000)).child;
    await until(() => subscriber.arrivals.length >= TAGS * 2, 30_000, 'two rounds of every tag');
    const from = Date.now();
    const before = cpuMsAllThreads(gateway.pid!);
    const brokerBefore = cpuMsAllThreads(broker.pid);
    await sleep(MEASURE_S * 1000);
    const gatewayCpu = (cpuMsAllThreads(gateway.pid!) - before) / (MEASURE_S * 1000);
    const brokerCpu = (cpuMsAllThreads(broker.pid) - brokerBefore) / (MEASURE_S * 1000);
    await sleep(SETTLE_MS);
    const measured = figures(subscriber.arrivals, from, MEASURE_S, gatewayCpu);
    stopChild(gateway);
    gateway = undefined;
    await subscriber.close();

    progress(`mqtt: the floor, a bare mqtt.js publisher, for ${FLOOR_S} s`);
    const floorSubscriber = await TimingSubscriber.connect(broker.url, 'floor/+/+');
    const publisher = await startNodeChild(builtPrograms().mqttFloorJs, [broker.url, String(TAGS), String(FLOOR_S + 5), String(QOS)], /connected/);
    await until(() => floorSubscriber.arrivals.length >= TAGS, 15_000, 'the first round of the floor publisher');
    const floorFrom = Date.now();
    const floorBefore = cpuMsAllThreads(publisher.child.pid!);
    await sleep(FLOOR_S * 1000);
    const floorCpu = (cpuMsAllThreads(publisher.child.pid!) - floorBefore) / (FLOOR_S * 1000);
    await sleep(SETTLE_MS);
    const floor = figures(floorSubscriber.arrivals, floorFrom, FLOOR_S, floorCpu);
    stopChild(publisher.child);
    await floorSubscriber.close();

    const row = (what: string, f: Figures) => [what, num(f.rate), num(f.p50), num(f.p99), f.cpuShare === undefined ? '—' : `${num(f.cpuShare * 100)}%`];
    return [
      `### MQTT: \`bifrost-gateway run\` publishing ${num(TAGS)} tags (${DEVICES} devices × ${num(TAGS_PER_DEVICE)}) at 1 Hz as JSON, publish "scan", QoS ${QOS}, retained, to a local mosquitto`,
      '',
      table(['Publisher', 'Messages/s delivered to a subscriber', 'Poll → subscriber p50 ms', 'p99 ms', 'Publisher CPU (one core)'], [
        row(`Bifrost gateway (${MEASURE_S} s)`, measured),
        row(`floor: bare mqtt.js publisher, same messages (${FLOOR_S} s)`, floor),
      ]),
      '',
      table(['Goal', 'Measured', 'Verdict'], [
        [`every tag delivered every second (≥ ${GOALS.deliveredShare * 100}% of ${num(TAGS)}/s)`, `${num(measured.rate)}/s`, verdict(measured.rate >= TAGS * GOALS.deliveredShare)],
        [`poll → subscriber p99 ≤ ${GOALS.p99Ms} ms (one scan period)`, `${num(measured.p99)} ms`, verdict(measured.p99 <= GOALS.p99Ms)],
        [`gateway CPU ≤ ${GOALS.cpuShare * 100}% of one core`, `${num(gatewayCpu * 100)}%`, verdict(gatewayCpu <= GOALS.cpuShare)],
      ]),
      '',
      `The gateway polls a bench responder (80 reads of 125 registers per second) and publishes every tag after each scan. Messages/s counts the messages of the polls made in the measured window (by the ts each carries), ` +
        `however late they arrived; latency runs from the scan's completion (that ts) to the subscriber, the floor's from the publish call. mosquitto used ${num(brokerCpu * 100)}% of a core during the gateway run; broker, gateway, responder and subscriber share the machine's cores.`,
    ];
  } finally {
    if (gateway) stopChild(gateway);
    device.stop();
    broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`mqtt bench: no ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}


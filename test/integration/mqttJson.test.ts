/**
 * MQTT publishing, JSON format, from the shipped gateway to a mosquitto of the test's
 * own: values with quality and time on prefix/device/tag, retained; the deadband; the
 * gateway state and its will on SIGKILL; a broker killed and restarted (the offline
 * buffer's drops reported, every latest value published again, the metrics counting);
 * write-back off, on, and refused on a read-only device; config typos with their path.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { DeviceInput } from '../../gateway/api/config';
import { DEMO_LAYOUT, DEMO_SETPOINT_DEFAULT } from '../../gateway/api/demo';
import { start, startSimulator, stopAll, type Simulator } from './helpers/childProcess';
import { MbapClient, readHolding, writeSingle } from './helpers/mbapClient';
import { Mosquitto } from './helpers/mosquitto';
import { logLine, runGateway, writeConfig } from './helpers/mqttRun';
import { RecordingSubscriber, type Received } from './helpers/mqttSubscriber';
import { parsePrometheusText, sample } from './helpers/promText';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

const h = DEMO_LAYOUT.holding;

interface ValueMessage {
  value: number | boolean | null;
  quality: string;
  ts: number;
  error?: string;
}

function parse(message: Received): ValueMessage {
  return JSON.parse(message.payload.toString()) as ValueMessage;
}

function device(name: string, port: number, extra: Partial<DeviceInput> = {}): DeviceInput {
  return {
    name,
    transport: { kind: 'tcp', host: '127.0.0.1', port },
    pollMs: 100,
    tags: [
      { name: 'counter', address: `HR:${h.counter}` },
      { name: 'sine', address: `HR:${h.sine}`, type: 'float32' },
      { name: 'setpoint', address: `HR:${h.setpoint}` },
      { name: 'running', address: `CO:${DEMO_LAYOUT.coils.running}`, type: 'bool' },
    ],
    ...extra,
  };
}

/** `promtool check metrics` finds the exposition clean (it exits non-zero otherwise, which throws). */
function promtoolCheck(exposition: string): void {
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: exposition, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('promtool is not installed: this test checks the MQTT metrics with it. Install it with "apt-get install prometheus".');
    throw new Error(`promtool check metrics: ${String((error as { stdout?: Buffer }).stdout ?? '')}${String((error as { stderr?: Buffer }).stderr ?? '')}`);
  }
}

async function readSetpoint(port: number): Promise<number> {
  const client = await MbapClient.connect(port);
  try {
    return (await client.request(1, readHolding(h.setpoint, 1))).pdu.readUInt16BE(2);
  } finally {
    client.close();
  }
}

async function writeSetpoint(port: number, value: number): Promise<void> {
  const client = await MbapClient.connect(port);
  try {
    await client.request(1, writeSingle(h.setpoint, value));
  } finally {
    client.close();
  }
}

describe('MQTT JSON publishing (run with "mqtt")', function () {
  this.timeout(60_000);
  let broker: Mosquitto;
  let simulator: Simulator;
  const subscribers: RecordingSubscriber[] = [];

  async function subscribe(filters: string[]): Promise<RecordingSubscriber> {
    const subscriber = await RecordingSubscriber.connect(broker.url, filters);
    subscribers.push(subscriber);
    return subscriber;
  }

  before(() => requireBuiltGateway());
  // Each test has its own broker and simulator (stopAll() stops them with the gateway): nothing retained leaks between tests.
  beforeEach(async () => {
    broker = await Mosquitto.start();
    simulator = await startSimulator();
  });
  afterEach(async () => {
    await Promise.all(subscribers.splice(0).map((subscriber) => subscriber.close()));
    await stopAll();
  });

  it('publishes value, quality and ts on prefix/device/tag, retained, with the gateway state "online"', async () => {
    const subscriber = await subscribe(['plant/#']);
    const before = Date.now();
    runGateway({ devices: [device('sim', simulator.port)], mqtt: { url: broker.url, prefix: 'plant', qos: 1 } });
    const counter = await subscriber.next((m) => m.topic === 'plant/sim/counter', 'plant/sim/counter');
    const setpoint = await subscriber.next((m) => m.topic === 'plant/sim/setpoint', 'plant/sim/setpoint');
    const running = await subscriber.next((m) => m.topic === 'plant/sim/running', 'plant/sim/running');
    await subscriber.next((m) => m.topic === 'plant/$gateway/state' && m.payload.toString() === 'online', 'the state "online"');
    assert.deepEqual(Object.keys(parse(setpoint)).sort(), ['quality', 'ts', 'value']);
    assert.equal(parse(setpoint).value, DEMO_SETPOINT_DEFAULT);
    assert.equal(parse(setpoint).quality, 'good');
    assert.equal(parse(running).value, true);
    assert.equal(typeof parse(counter).value, 'number');
    assert.equal(counter.qos, 1);
    assert.ok(parse(counter).ts >= before && parse(counter).ts <= Date.now(), `ts ${parse(counter).ts} is the poll's time`);

    // A subscriber that comes later gets each tag's last value from the broker: retained.
    const late = await subscribe(['plant/sim/+', 'plant/$gateway/state']);
    const retained = await late.next((m) => m.topic === 'plant/sim/setpoint', 'the retained setpoint');
    assert.equal(retained.retain, true);
    assert.equal(parse(retained).value, DEMO_SETPOINT_DEFAULT);
    const state = await late.next((m) => m.topic === 'plant/$gateway/state', 'the retained state');
    assert.equal(state.retain, true);
    assert.equal(state.payload.toString(), 'online');
  });

  it('publishes a number only when it moved more than the deadband since the last one published', async () => {
    const subscriber = await subscribe(['db/sim/+']);
    runGateway({ devices: [device('sim', simulator.port)], mqtt: { url: broker.url, prefix: 'db', deadband: 10 } });
    // The sine moves up to ~3 per 100 ms poll, the counter 1: without the deadband, a message per poll each.
    await until(() => subscriber.on('db/sim/sine').length >= 4 && subscriber.on('db/sim/counter').length >= 3, 20_000, 'four sine and three counter messages');
    for (const topic of ['db/sim/sine', 'db/sim/counter']) {
      const values = subscriber.on(topic).map((m) => parse(m).value as number);
      for (let i = 1; i < values.length; i++) {
        assert.ok(Math.abs(values[i] - values[i - 1]) > 10, `${topic}: ${values[i - 1]} → ${values[i]} is within the deadband of 10, yet was published (${values.join(', ')})`);
      }
    }
  });

  it('with publish "scan" and QoS 0, sends every tag at every scan, unchanged or not; a clean stop says "offline"', async () => {
    const subscriber = await subscribe(['scan/#']);
    const gateway = runGateway({ devices: [device('sim', simulator.port)], mqtt: { url: broker.url, prefix: 'scan', publish: 'scan', qos: 0, retain: false } });
    // The setpoint never changes: with "change" it would be published once.
    await until(() => subscriber.on('scan/sim/setpoint').length >= 5, 15_000, 'five setpoint messages');
    const setpoints = subscriber.on('scan/sim/setpoint');
    assert.ok(setpoints.every((m) => parse(m).value === DEMO_SETPOINT_DEFAULT && m.qos === 0 && !m.retain));
    const times = setpoints.map((m) => parse(m).ts);
    assert.ok(times.every((ts, i) => i === 0 || ts > times[i - 1]), `each scan's message has that scan's ts: ${times.join(', ')}`);
    await gateway.stop();
    await subscriber.next((m) => m.topic === 'scan/$gateway/state' && m.payload.toString() === 'offline', 'the state "offline" on SIGTERM');
  });

  it("publishes a failing device's quality and its failure in plain words", async () => {
    const subscriber = await subscribe(['fail/sim/setpoint']);
    runGateway({ devices: [device('sim', simulator.port, { timeoutMs: 200, retries: 0 })], mqtt: { url: broker.url, prefix: 'fail' } });
    await subscriber.next((m) => parse(m).quality === 'good', 'a good setpoint');
    await simulator.stop();
    const failed = parse(await subscriber.next((m) => parse(m).quality !== 'good', 'the setpoint no longer good'));
    assert.equal(failed.quality, 'stale');
    assert.equal(failed.value, DEMO_SETPOINT_DEFAULT, 'the last value read, marked stale');
    assert.match(failed.error ?? '', /connection|closed|refused|reset/i);
  });

  it('sends "offline" on the state topic as its will when the gateway is SIGKILLed', async () => {
    const subscriber = await subscribe(['will/$gateway/state']);
    const gateway = runGateway({ devices: [device('sim', simulator.port)], mqtt: { url: broker.url, prefix: 'will' } });
    await subscriber.next((m) => m.payload.toString() === 'online', 'the state "online"');
    gateway.process.kill('SIGKILL');
    const offline = await subscriber.next((m) => m.payload.toString() === 'offline', 'the will "offline" after SIGKILL');
    assert.equal(offline.topic, 'will/$gateway/state');
    // Retained too: whoever looks later sees the gateway is gone.
    const late = await subscribe(['will/$gateway/state']);
    assert.equal((await late.next(() => true, 'the retained state')).payload.toString(), 'offline');
  });

  it('survives the broker killed and restarted: the buffer reports its drops, every latest value is published again, the metrics count it', async () => {
    const gateway = runGateway({ devices: [device('sim', simulator.port)], mqtt: { url: broker.url, prefix: 'outage', bufferLimit: 5 } }, ['--metrics', '127.0.0.1:0']);
    const [, metricsUrl] = await gateway.waitForStdout(/^metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)$/);
    const first = await subscribe(['outage/#']);
    await first.next((m) => m.topic === 'outage/sim/setpoint', 'the first setpoint');
    await first.close();

    await broker.kill();
    await logLine(gateway, /mqtt: lost mqtt:\/\/127\.0\.0\.1:\d+/);
    // The counter changes every 100 ms: five messages fill the buffer within a second.
    await logLine(gateway, /offline buffer is full \(5 messages\): dropping the oldest/);
    // A value that changes while the broker is away must be the one published after it returns.
    await writeSetpoint(simulator.port, 777);
    await broker.restart();
    const flushed = await logLine(gateway, /mqtt: sending 5 messages held while offline; \d+ older messages were dropped while offline \(buffer limit 5\)/);
    assert.match(flushed, /; ([1-9]\d*) older messages were dropped/);

    // The restarted broker kept nothing (no persistence): what it holds now, the gateway published again.
    const after = await subscribe(['outage/#']);
    const setpoint = await after.next((m) => m.topic === 'outage/sim/setpoint' && parse(m).value === 777, 'the setpoint written during the outage');
    assert.equal(setpoint.retain, true);
    await after.next((m) => m.topic === 'outage/sim/running', 'the running coil, published again');
    await after.next((m) => m.topic === 'outage/$gateway/state' && m.payload.toString() === 'online', 'the state "online" again');

    const exposition = await (await fetch(metricsUrl)).text();
    promtoolCheck(exposition);
    const metrics = parsePrometheusText(exposition);
    assert.equal(sample(metrics, 'bifrost_mqtt_connected'), 1);
    assert.equal(sample(metrics, 'bifrost_mqtt_reconnects_total'), 1);
    assert.ok((sample(metrics, 'bifrost_mqtt_messages_dropped_total') ?? 0) > 0, 'dropped messages are counted');
    assert.ok((sample(metrics, 'bifrost_mqtt_messages_published_total') ?? 0) > 10, 'published messages are counted');
  });

  it('refuses writes while write-back is off, answering on …/set/result', async () => {
    const subscriber = await subscribe(['off/#']);
    runGateway({ devices: [device('sim', simulator.port)], mqtt: { url: broker.url, prefix: 'off' } });
    await subscriber.next((m) => m.topic === 'off/sim/setpoint', 'the setpoint');
    await subscriber.publish('off/sim/setpoint/set', '{"value": 321}');
    const result = await subscriber.next((m) => m.topic === 'off/sim/setpoint/set/result', 'the write result');
    const answer = JSON.parse(result.payload.toString()) as { ok: boolean; error: string };
    assert.equal(answer.ok, false);
    assert.match(answer.error, /write-back is off \("writeBack": true in the mqtt section of bifrost\.json turns it on\)/);
    assert.equal(await readSetpoint(simulator.port), DEMO_SETPOINT_DEFAULT);
  });

  it('with write-back on, writes through the tag (JSON or bare value) and refuses a read-only device and a bad value in plain words', async () => {
    const subscriber = await subscribe(['on/#']);
    const gateway = runGateway({
      devices: [device('sim', simulator.port), device('locked', simulator.port, { readOnly: true })],
      mqtt: { url: broker.url, prefix: 'on', writeBack: true },
    });
    await subscriber.next((m) => m.topic === 'on/locked/setpoint', 'the read-only device publishing');

    await subscriber.publish('on/sim/setpoint/set', '{"value": 321}');
    const applied = JSON.parse((await subscriber.next((m) => m.topic === 'on/sim/setpoint/set/result', 'the write result')).payload.toString());
    assert.equal(applied.ok, true, JSON.stringify(applied));
    assert.equal(applied.value, 321);
    assert.equal(await readSetpoint(simulator.port), 321);
    await subscriber.next((m) => m.topic === 'on/sim/setpoint' && parse(m).value === 321, 'the written value published');
    await logLine(gateway, /\[sim\] write of 321 to sim\/setpoint from mqtt on\/sim\/setpoint\/set: write single register HR:40: uint16 321/);

    const from = subscriber.messages.length;
    await subscriber.publish('on/sim/setpoint/set', '322');
    const bare = JSON.parse((await subscriber.next((m) => m.topic === 'on/sim/setpoint/set/result', 'the bare write result', 15_000, from)).payload.toString());
    assert.equal(bare.ok, true, JSON.stringify(bare));
    assert.equal(await readSetpoint(simulator.port), 322);

    const lockedFrom = subscriber.messages.length;
    await subscriber.publish('on/locked/setpoint/set', '{"value": 5}');
    const locked = JSON.parse((await subscriber.next((m) => m.topic === 'on/locked/setpoint/set/result', 'the read-only refusal', 15_000, lockedFrom)).payload.toString());
    assert.equal(locked.ok, false);
    assert.match(locked.error, /locked: cannot write tag "setpoint" at HR:40: the device is read-only/);
    assert.equal(await readSetpoint(simulator.port), 322);

    const badFrom = subscriber.messages.length;
    await subscriber.publish('on/sim/setpoint/set', '{"value": 70000}');
    const bad = JSON.parse((await subscriber.next((m) => m.topic === 'on/sim/setpoint/set/result', 'the out-of-range refusal', 15_000, badFrom)).payload.toString());
    assert.equal(bad.ok, false);
    assert.match(bad.error, /sim: cannot write tag "setpoint" at HR:40: 70000 does not fit uint16/);
    await logLine(gateway, /refused write of 70000 to sim\/setpoint from mqtt on\/sim\/setpoint\/set/);
    assert.equal(await readSetpoint(simulator.port), 322);
  });

  it('a typo in "mqtt" stops run with the problem and its path; a missing password variable is named', async () => {
    const typo = start(process.execPath, [GATEWAY_JS, 'run', '--config', writeConfig({ devices: [], mqtt: { url: broker.url, qoss: 1, tls: { rejectUnauthorised: false } } })]);
    assert.equal((await typo.exited).code, 1);
    const text = typo.stderr.join('\n');
    assert.match(text, /mqtt: unknown field "qoss"/);
    assert.match(text, /mqtt\.tls: unknown field "rejectUnauthorised"/);

    const env = { ...process.env };
    delete env.BIFROST_TEST_MQTT_PASSWORD;
    const noPassword = runGateway({ devices: [], mqtt: { url: broker.url, username: 'edge', passwordEnv: 'BIFROST_TEST_MQTT_PASSWORD' } }, [], env);
    assert.equal((await noPassword.exited).code, 1);
    assert.match(noPassword.stderr.join('\n'), /mqtt\.passwordEnv: the environment variable BIFROST_TEST_MQTT_PASSWORD is not set/);
  });
});

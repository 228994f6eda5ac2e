/**
 * MQTT publishing, Sparkplug B, from the shipped gateway to a mosquitto of the test's
 * own, every payload decoded with `sparkplug-payload`: NBIRTH with bdSeq and the
 * rebirth control, DBIRTH with each tag's datatype, seq counting up and wrapping at
 * 255, rebirth on NCMD, DDEATH when the device stops answering and DBIRTH when it
 * answers again, NDEATH as the will with the NBIRTH's bdSeq, writes by DCMD. The gateway
 * runs from the unpacked .vsix: protobuf's 64-bit support must not come from the repository.
 */
import assert from 'node:assert/strict';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { DEMO_BIG_NUMBER, DEMO_LAYOUT, DEMO_NEGATIVE_VALUE, DEMO_SETPOINT_DEFAULT } from '../../gateway/api/demo';
import { startSimulator, stopAll, type Simulator } from './helpers/childProcess';
import { installedGatewayJs } from './helpers/installedGateway';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { Mosquitto } from './helpers/mosquitto';
import { logLine, runGateway } from './helpers/mqttRun';
import { RecordingSubscriber, type Received } from './helpers/mqttSubscriber';
import { requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

const sparkplug = sparkplugNamespace('spBv1.0')!;
const h = DEMO_LAYOUT.holding;
const TOPIC = /^spBv1\.0\/Plant\/(NBIRTH|NDEATH|NDATA|DBIRTH|DDEATH|DDATA|NCMD|DCMD)\/edge1(?:\/(.+))?$/;

function decode(message: Received): UPayload {
  return sparkplug.decodePayload(message.payload);
}

function type(message: Received): string {
  return TOPIC.exec(message.topic)?.[1] ?? '';
}

function metric(payload: UPayload, name: string): UMetric {
  const found = payload.metrics?.find((candidate) => candidate.name === name);
  assert.ok(found, `metric ${name} in ${JSON.stringify(payload.metrics?.map((m) => m.name))}`);
  return found;
}

const HUGE = 0x123456789abcdef1n;
/** Free holding registers of the demo simulator. */
const HUGE_AT = 50;

/** FC 16: the four registers of `value`, big-endian (ABCD). */
async function writeUint64(port: number, address: number, value: bigint): Promise<void> {
  const pdu = Buffer.alloc(6 + 8);
  pdu[0] = 16;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(4, 3);
  pdu[5] = 8;
  pdu.writeBigUInt64BE(value, 6);
  const client = await MbapClient.connect(port);
  try {
    const reply = (await client.request(1, pdu)).pdu;
    assert.equal(reply[0], 16, `the simulator refused the write: ${reply.toString('hex')}`);
  } finally {
    client.close();
  }
}

function number(value: unknown): number {
  return typeof value === 'object' && value !== null ? Number(String(value)) : Number(value);
}

/** The seq of every message the node published (all but NDEATH, which has none), in order. */
function seqs(messages: Received[]): number[] {
  return messages.filter((m) => TOPIC.test(m.topic) && !['NDEATH', 'NCMD', 'DCMD'].includes(type(m))).map((m) => number(decode(m).seq));
}

describe('MQTT Sparkplug B publishing (run with "mqtt": {"format": "sparkplugb"})', function () {
  this.timeout(60_000);
  let broker: Mosquitto;
  let simulator: Simulator;
  let subscriber: RecordingSubscriber;

  function startEdgeNode(extra: Record<string, unknown> = {}, pollMs = 100) {
    return runGateway({
      devices: [
        {
          name: 'press',
          transport: { kind: 'tcp', host: '127.0.0.1', port: simulator.port },
          pollMs,
          timeoutMs: 200,
          retries: 0,
          tags: [
            { name: 'counter', address: `HR:${h.counter}` },
            { name: 'sine', address: `HR:${h.sine}`, type: 'float32' },
            { name: 'negative', address: `HR:${h.negative}`, type: 'int16' },
            { name: 'big', address: `HR:${h.bigNumber}`, type: 'uint32' },
            // Written by the test: 0x123456789ABCDEF1, more digits than a double holds.
            { name: 'huge', address: `HR:${HUGE_AT}`, type: 'uint64' },
            { name: 'setpoint', address: `HR:${h.setpoint}` },
            { name: 'temperature', address: `IR:${DEMO_LAYOUT.input.temperature}`, scale: 0.1 },
            { name: 'running', address: `CO:${DEMO_LAYOUT.coils.running}`, type: 'bool' },
          ],
        },
      ],
      mqtt: { url: broker.url, format: 'sparkplugb', group: 'Plant', node: 'edge1', ...extra },
    }, [], undefined, installedGatewayJs());
  }

  before(() => requireBuiltGateway());
  beforeEach(async () => {
    broker = await Mosquitto.start();
    simulator = await startSimulator();
    await writeUint64(simulator.port, HUGE_AT, HUGE);
    subscriber = await RecordingSubscriber.connect(broker.url, ['spBv1.0/#']);
  });
  afterEach(async () => {
    await subscriber.close();
    await stopAll();
  });

  it('NBIRTH with bdSeq and the rebirth control, DBIRTH with every tag and its datatype, then DDATA; NDEATH on SIGKILL has the same bdSeq', async () => {
    const gateway = startEdgeNode();
    const nbirth = await subscriber.next((m) => m.topic === 'spBv1.0/Plant/NBIRTH/edge1', 'NBIRTH');
    const birth = decode(nbirth);
    assert.equal(number(birth.seq), 0);
    assert.equal(metric(birth, 'bdSeq').type, 'Int64');
    assert.deepEqual([metric(birth, 'Node Control/Rebirth').type, metric(birth, 'Node Control/Rebirth').value], ['Boolean', false]);

    const dbirth = decode(await subscriber.next((m) => m.topic === 'spBv1.0/Plant/DBIRTH/edge1/press', 'DBIRTH of press'));
    const types = Object.fromEntries((dbirth.metrics ?? []).map((m) => [m.name, m.type]));
    assert.deepEqual(types, { counter: 'UInt16', sine: 'Float', negative: 'Int16', big: 'UInt32', huge: 'UInt64', setpoint: 'UInt16', temperature: 'Double', running: 'Boolean' });
    assert.equal(metric(dbirth, 'negative').value, DEMO_NEGATIVE_VALUE);
    assert.equal(number(metric(dbirth, 'big').value), DEMO_BIG_NUMBER);
    // Every digit of a uint64 survives the minified protobuf encoder (its 64-bit support is wired by hand).
    assert.equal(String(metric(dbirth, 'huge').value), String(HUGE));
    assert.equal(metric(dbirth, 'setpoint').value, DEMO_SETPOINT_DEFAULT);
    assert.equal(metric(dbirth, 'running').value, true);
    assert.ok(number(metric(dbirth, 'temperature').value) > 10 && number(metric(dbirth, 'temperature').value) < 40, 'temperature scaled to degrees');

    // The counter moves every 100 ms: DDATA with it follows, and seq counts every message of the node.
    await until(() => subscriber.messages.filter((m) => type(m) === 'DDATA').length >= 3, 10_000, 'three DDATA');
    const ddata = decode(subscriber.messages.find((m) => type(m) === 'DDATA')!);
    assert.equal(metric(ddata, 'counter').type, 'UInt16');
    const numbers = seqs(subscriber.messages);
    numbers.forEach((seq, index) => assert.equal(seq, index, `seq ${numbers.join(',')}`));

    gateway.process.kill('SIGKILL');
    const ndeath = decode(await subscriber.next((m) => m.topic === 'spBv1.0/Plant/NDEATH/edge1', 'NDEATH, the will'));
    assert.equal(number(metric(ndeath, 'bdSeq').value), number(metric(birth, 'bdSeq').value));
  });

  it('a broker outage: the next connection births again with the next bdSeq, and its NDEATH (clean stop) carries that bdSeq', async () => {
    const gateway = startEdgeNode();
    const firstBirth = decode(await subscriber.next((m) => type(m) === 'NBIRTH', 'the first NBIRTH'));
    await subscriber.next((m) => type(m) === 'DBIRTH', 'the first DBIRTH');
    await broker.kill();
    await logLine(gateway, /mqtt: lost mqtt:\/\/127\.0\.0\.1:\d+/);
    const from = subscriber.messages.length;
    const subscriptions = subscriber.subscriptions;
    await broker.restart();
    await logLine(gateway, /mqtt: reconnected to mqtt:\/\/127\.0\.0\.1:\d+/);
    await until(() => subscriber.subscriptions > subscriptions, 10_000, 'the subscriber back on the restarted broker');
    // The gateway may have reconnected (and sent its NBIRTH) before this subscriber was back: ask for a rebirth, which keeps the connection's bdSeq.
    await subscriber.publish('spBv1.0/Plant/NCMD/edge1', Buffer.from(sparkplug.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })));
    const nbirth = await subscriber.next((m) => type(m) === 'NBIRTH', 'NBIRTH after the outage', 20_000, from);
    const bdSeq = number(metric(decode(nbirth), 'bdSeq').value);
    assert.equal(bdSeq, number(metric(firstBirth, 'bdSeq').value) + 1);
    assert.equal(number(decode(nbirth).seq), 0);
    const dbirth = await subscriber.next((m) => type(m) === 'DBIRTH', 'DBIRTH after the outage', 15_000, subscriber.messages.indexOf(nbirth));
    assert.equal(metric(decode(dbirth), 'setpoint').value, DEMO_SETPOINT_DEFAULT);
    await gateway.stop();
    const ndeath = await subscriber.next((m) => type(m) === 'NDEATH', 'NDEATH on a clean stop', 15_000, from);
    assert.equal(number(metric(decode(ndeath), 'bdSeq').value), bdSeq);
  });

  it('seq wraps from 255 to 0 (publish "scan": a DDATA every scan)', async () => {
    startEdgeNode({ publish: 'scan' }, 10);
    await until(() => seqs(subscriber.messages).length >= 300, 45_000, '300 messages from the node');
    const numbers = seqs(subscriber.messages);
    for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], (numbers[i - 1] + 1) % 256, `seq ${numbers[i - 1]} → ${numbers[i]} at message ${i}`);
    assert.ok(numbers.includes(255) && numbers.lastIndexOf(0) > numbers.indexOf(255), 'seq went through 255 to 0');
  });

  it('answers an NCMD "Node Control/Rebirth" with NBIRTH (seq 0, same bdSeq) and DBIRTH', async () => {
    startEdgeNode();
    const first = decode(await subscriber.next((m) => type(m) === 'DBIRTH', 'the first DBIRTH'));
    const nbirth = decode(subscriber.messages.find((m) => type(m) === 'NBIRTH')!);
    const from = subscriber.messages.length;
    await subscriber.publish('spBv1.0/Plant/NCMD/edge1', Buffer.from(sparkplug.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })));
    const rebirth = await subscriber.next((m) => type(m) === 'NBIRTH', 'NBIRTH after the rebirth request', 15_000, from);
    const again = decode(rebirth);
    assert.equal(number(again.seq), 0);
    assert.equal(number(metric(again, 'bdSeq').value), number(metric(nbirth, 'bdSeq').value));
    const dbirth = await subscriber.next((m) => type(m) === 'DBIRTH', 'DBIRTH after the rebirth', 15_000, subscriber.messages.indexOf(rebirth));
    assert.equal(number(decode(dbirth).seq), 1);
    assert.deepEqual(decode(dbirth).metrics?.map((m) => m.name), first.metrics?.map((m) => m.name));
  });

  it('DDEATH when the device stops answering, DBIRTH when it answers again', async () => {
    const port = simulator.port;
    startEdgeNode();
    await subscriber.next((m) => type(m) === 'DBIRTH', 'the first DBIRTH');
    await simulator.stop();
    const ddeath = await subscriber.next((m) => m.topic === 'spBv1.0/Plant/DDEATH/edge1/press', 'DDEATH of press');
    simulator = await startSimulator(port);
    const reborn = await subscriber.next((m) => m.topic === 'spBv1.0/Plant/DBIRTH/edge1/press', 'DBIRTH of press again', 20_000, subscriber.messages.indexOf(ddeath));
    assert.equal(metric(decode(reborn), 'setpoint').value, DEMO_SETPOINT_DEFAULT);
    const numbers = seqs(subscriber.messages);
    numbers.forEach((seq, index) => assert.equal(seq, index % 256, `seq ${numbers.join(',')}`));
  });

  it('DCMD writes a tag when write-back is on, and is refused (logged) when it is off', async () => {
    const off = startEdgeNode();
    await subscriber.next((m) => type(m) === 'DBIRTH', 'DBIRTH');
    const dcmd = (value: number) => Buffer.from(sparkplug.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'setpoint', type: 'UInt16', value }] }));
    await subscriber.publish('spBv1.0/Plant/DCMD/edge1/press', dcmd(432));
    await logLine(off, /refused write of 432 to press\/setpoint from Sparkplug DCMD spBv1\.0\/Plant\/DCMD\/edge1\/press: write-back is off/);
    const client = await MbapClient.connect(simulator.port);
    try {
      assert.equal((await client.request(1, readHolding(h.setpoint, 1))).pdu.readUInt16BE(2), DEMO_SETPOINT_DEFAULT);
      await off.stop();

      const from = subscriber.messages.length;
      const on = startEdgeNode({ writeBack: true });
      await subscriber.next((m) => type(m) === 'DBIRTH', 'DBIRTH of the second gateway', 15_000, from);
      await subscriber.publish('spBv1.0/Plant/DCMD/edge1/press', dcmd(432));
      await logLine(on, /write of 432 to press\/setpoint from Sparkplug DCMD .*: write single register HR:40: uint16 432/);
      assert.equal((await client.request(1, readHolding(h.setpoint, 1))).pdu.readUInt16BE(2), 432);
      const ddata = await subscriber.next((m) => type(m) === 'DDATA' && decode(m).metrics?.some((x) => x.name === 'setpoint' && x.value === 432) === true, 'DDATA with the written setpoint', 15_000, from);
      assert.ok(ddata);
    } finally {
      client.close();
    }
  });
});

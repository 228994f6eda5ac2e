/**
 * A serial line that vanishes mid-request: socat, which makes the pseudo-terminal
 * pair, is SIGKILLed while a request is on the wire, so the gateway's port dies
 * under it the way a USB-serial adapter does when it is pulled out. Then the pair
 * comes back under the same names, as udev brings back /dev/ttyUSB0. And a line
 * whose far end writes garbage: random bytes, a truncated frame, a bad CRC.
 *
 * Real parts only: socat, serialport, the gateway's simulator in its own process
 * (it holds each reply for its wire time, so a 125-register read at 9600 baud is in
 * flight for about 300 ms), the engine in-process where the test must hold every
 * request's promise, and the gateway as a child process where users see it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DeviceStatus, TagValue } from '../../gateway/api/channel';
import { BifrostConfig, type BifrostConfigInput } from '../../gateway/api/config';
import type { CapturedFrame } from '../../gateway/api/capture';
import { Engine } from '../../gateway/engine/engine';
import { silentLogger } from '../../gateway/engine/logger';
import { ConnectionClosedError } from '../../gateway/protocol/errors';
import { encodeResponse } from '../../gateway/protocol/responses';
import { decodeRtuFrame, encodeRtuFrame, RtuFrameSplitter } from '../../gateway/protocol/rtuFraming';
import { handleRequestPdu } from '../../gateway/simulator/requestHandler';
import { DemoDevice } from '../../gateway/simulator/demoDevice';
import { SerialLink } from '../../gateway/transport/serial';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll, type Child, type Gateway } from './helpers/childProcess';
import { requireSocat, startPtyPair, unplugPtyPair, type PtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';
import { until, within } from './helpers/wait';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function startSerialSimulator(device: string, baud: number, units: string): Promise<Child> {
  const child = start(process.execPath, [GATEWAY_JS, 'simulate', '--rtu', device, '--baud', String(baud), '--units', units]);
  return child.waitForStdout(/serving/).then(() => child);
}

async function gatewayWith(config: BifrostConfigInput): Promise<{ gateway: Gateway; client: TestChannelClient }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-serial-loss-')), 'bifrost.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const gateway = await startGateway(['--config', file]);
  return { gateway, client: await TestChannelClient.connect(gateway.ready.port, gateway.ready.token) };
}

const tags = [
  { name: 'counter', address: 'HR:0' },
  { name: 'pi', address: 'HR:10', type: 'float32' as const },
];

/** The largest read Modbus allows: 8 + 255 bytes, about 300 ms on the wire at 9600 8E1. */
const BIG = 125;
const TIMEOUT_MS = 1500;
const RETRIES = 2;

describe('a serial line that vanishes mid-request (socat SIGKILLed), and one full of garbage', function () {
  this.timeout(60_000);

  before(() => {
    requireBuiltGateway();
    requireSocat();
  });

  describe('in the engine: every request on the bus, the device status, the reconnect', () => {
    let pty: PtyPair;
    let engine: Engine | undefined;
    const statuses: DeviceStatus[] = [];
    const values: TagValue[] = [];
    let devicesChanged = 0;
    /** statuses.length when socat was killed. */
    let killedAt = -1;

    const read = (device: string) => engine!.session(device)!.request({ functionCode: 3, address: 0, quantity: BIG });
    const statusesOf = (device: string, after: number) => statuses.slice(after).filter((s) => s.device === device);
    const goodValue = (device: string, after: number) => values.slice(after).some((v) => v.device === device && v.quality === 'good');

    before(async () => {
      pty = await startPtyPair();
      await startSerialSimulator(pty.b, 9600, '1,2');
      engine = new Engine({ logger: silentLogger });
      engine.on('status', (status) => statuses.push(status));
      engine.on('values', (batch) => values.push(...batch));
      engine.on('devicesChanged', () => devicesChanged++);
      const transport = { kind: 'rtu' as const, path: pty.a, baudRate: 9600 };
      await engine.apply(
        BifrostConfig.parse({
          devices: [
            { name: 'Left', unitId: 1, pollMs: 100, timeoutMs: TIMEOUT_MS, retries: RETRIES, transport, tags },
            { name: 'Right', unitId: 2, pollMs: 100, timeoutMs: TIMEOUT_MS, retries: RETRIES, transport, tags },
          ],
        }),
      );
      await until(() => goodValue('Left', 0) && goodValue('Right', 0), 15_000, 'good values from both units');
    });
    after(async () => {
      await engine?.close();
      engine = undefined;
      await stopAll();
    });

    it('rejects every pending and queued request on the bus at once, naming the device and the port', async () => {
      // Kill socat 100 ms after the first big read goes out: the simulator holds its
      // reply for ~300 ms, so that read is on the wire and the rest wait behind it.
      let killedMs = 0;
      let unplugged: Promise<void> | undefined;
      const unsubscribe = engine!.capture.subscribe((frame) => {
        if (unplugged || frame.direction !== 'tx' || !frame.hex.startsWith('0000007d', 4)) return;
        unplugged = new Promise((resolve) => setTimeout(resolve, 100)).then(() => {
          killedAt = statuses.length;
          killedMs = performance.now();
          return unplugPtyPair(pty);
        });
      });
      const requests = ['Left', 'Right', 'Left', 'Right', 'Left', 'Right'].map((device) => ({ device, result: read(device) }));
      try {
        await until(() => unplugged !== undefined, 10_000, 'a 125-register read to go out');
        // Nothing may hang: every promise settles, and well before one timeout (a request
        // left waiting would cost TIMEOUT_MS × (1 + RETRIES), the queue behind it more).
        const settled = await within(Promise.allSettled(requests.map((r) => r.result)), 20_000, 'every request to settle');
        const elapsed = performance.now() - killedMs;
        await unplugged;
        assert.ok(killedMs > 0, 'socat was killed');
        assert.ok(elapsed < TIMEOUT_MS, `all ${requests.length} requests settled ${elapsed.toFixed(0)} ms after the kill, not within one ${TIMEOUT_MS} ms timeout`);
        let sent = 0;
        settled.forEach((outcome, i) => {
          const { device } = requests[i];
          assert.equal(outcome.status, 'rejected', `${device}'s read #${i} should fail, not be answered`);
          const error = (outcome as PromiseRejectedResult).reason as unknown;
          assert.ok(error instanceof ConnectionClosedError, `a ConnectionClosedError, not ${String(error)}`);
          assert.equal(error.device, device);
          assert.equal(error.unitId, device === 'Left' ? 1 : 2);
          assert.ok(error.message.startsWith(`${device}: `), error.message);
          assert.ok(error.message.includes(pty.a), `the message names the port: ${error.message}`);
          assert.ok(error.reason?.includes(pty.a), `the reason names the port: ${error.reason}`);
          if (error.wasSent) sent++;
        });
        assert.ok(sent <= 1, 'one request at a time on a serial bus');
        assert.equal(sent, 1, 'the read on the wire was rejected as sent ("connection closed before unit N answered")');
      } finally {
        unsubscribe();
        await unplugged;
      }
      // A request made now fails at once instead of waiting for a link that is not there.
      const late = await within(
        read('Left').then(
          () => undefined,
          (error: unknown) => error,
        ),
        1000,
        'a request after the loss to fail',
      );
      assert.ok(late instanceof ConnectionClosedError && !late.wasSent, String(late));
      assert.ok(late.message.includes(pty.a), late.message);
    });

    it('shows both devices as down with that reason, and their values stale', async () => {
      assert.ok(killedAt >= 0, 'the previous test killed socat');
      const lost = new RegExp(`^connection lost: ${escape(pty.a)}\\b`);
      for (const device of ['Left', 'Right']) {
        await until(() => statusesOf(device, killedAt).some((s) => s.state === 'error'), 5000, `${device} to report the loss`);
        const down = statusesOf(device, killedAt).find((s) => s.state === 'error')!;
        assert.match(down.lastError ?? '', lost);
        assert.equal(typeof down.retryInMs, 'number', 'and when it tries again');
      }
      const snapshot = engine!.snapshot();
      for (const device of snapshot) {
        assert.notEqual(device.status.state, 'connected', `${device.name} is not shown as connected`);
        assert.ok(device.status.lastError?.includes(pty.a), `${device.name}: ${device.status.lastError}`);
        for (const tag of device.tags) {
          assert.equal(tag.value?.quality, 'stale', `${device.name}.${tag.name} keeps its last value, marked stale`);
          assert.ok(tag.value?.error?.includes(pty.a), `${device.name}.${tag.name}: ${tag.value?.error}`);
        }
      }
    });

    it('reopens the bus by itself with backoff once the port is back under the same name; both units read again', async () => {
      assert.ok(killedAt >= 0, 'the first test killed socat');
      // While the port is gone: "cannot open PATH: No such file or directory", tried again later each time.
      await until(() => statusesOf('Left', killedAt).filter((s) => s.state === 'error').length >= 3, 10_000, 'three failed attempts on Left');
      const failures = statusesOf('Left', killedAt).filter((s) => s.state === 'error');
      for (const failure of failures.slice(1)) {
        assert.equal(failure.lastError, `cannot open ${pty.a}: No such file or directory`);
      }
      const delays = failures.map((s) => s.retryInMs!);
      for (let i = 1; i < delays.length; i++) assert.ok(delays[i] > delays[i - 1], `growing retry delays: ${delays.join(', ')} ms`);

      const replugged = statuses.length;
      const valuesMark = values.length;
      pty = await startPtyPair({ a: pty.a, b: pty.b });
      await startSerialSimulator(pty.b, 9600, '1,2');
      for (const device of ['Left', 'Right']) {
        await until(() => statusesOf(device, replugged).some((s) => s.state === 'connected'), 20_000, `${device} to reconnect`);
      }
      await until(() => goodValue('Left', valuesMark) && goodValue('Right', valuesMark), 15_000, 'good values from both units again');
      const [left, right] = await within(Promise.all([read('Left'), read('Right')]), 15_000, 'a big read on each unit');
      assert.equal(left.registers.length, BIG);
      assert.equal(right.registers.length, BIG);
      assert.equal(devicesChanged, 1, 'the same devices throughout: nothing was re-applied or restarted');
      assert.deepEqual(
        engine!.snapshot().map((d) => d.status.state),
        ['connected', 'connected'],
      );
    });
  });

  describe('through the gateway, as users see it', () => {
    let client: TestChannelClient | undefined;
    afterEach(async () => {
      client?.close();
      client = undefined;
      await stopAll();
    });

    it('device.status shows the link down and why; the same gateway reads both units again after the port returns', async () => {
      let pty = await startPtyPair();
      await startSerialSimulator(pty.b, 19200, '1,2');
      const transport = { kind: 'rtu' as const, path: pty.a, baudRate: 19200 };
      const started = await gatewayWith({
        devices: [
          { name: 'Pump', unitId: 1, pollMs: 100, timeoutMs: TIMEOUT_MS, retries: RETRIES, transport, tags },
          { name: 'Valve', unitId: 2, pollMs: 100, timeoutMs: TIMEOUT_MS, retries: RETRIES, transport, tags },
        ],
      });
      client = started.client;
      for (const device of ['Pump', 'Valve']) {
        await client.waitForTagValue(device, 'pi', (v) => v.quality === 'good', { timeoutMs: 15_000, what: `π from ${device}` });
      }

      let mark = client.mark();
      await unplugPtyPair(pty);
      const lost = new RegExp(`^connection lost: ${escape(pty.a)}\\b`);
      for (const device of ['Pump', 'Valve']) {
        const status = await client.waitForEvent('device.status', (s) => s.device === device && s.state === 'error', {
          timeoutMs: 5000,
          what: `${device} to show the loss`,
          after: mark,
        });
        assert.match(status.lastError ?? '', lost);
        const stale = await client.waitForTagValue(device, 'pi', (v) => v.quality === 'stale', { timeoutMs: 5000, what: 'a stale π', after: mark });
        assert.equal(stale.value, 3.1415927, 'stale keeps the last value');
        assert.ok(stale.error?.includes(pty.a), `the stale value says why: ${stale.error}`);
      }
      const { devices: down } = await client.request('devices.snapshot', {});
      for (const device of down) {
        assert.notEqual(device.status.state, 'connected');
        assert.ok(device.status.lastError?.includes(pty.a), `${device.name}: ${device.status.lastError}`);
      }

      mark = client.mark();
      pty = await startPtyPair({ a: pty.a, b: pty.b });
      await startSerialSimulator(pty.b, 19200, '1,2');
      for (const device of ['Pump', 'Valve']) {
        await client.waitForEvent('device.status', (s) => s.device === device && s.state === 'connected', {
          timeoutMs: 20_000,
          what: `${device} to reconnect`,
          after: mark,
        });
        await client.waitForTagValue(device, 'pi', (v) => v.quality === 'good', { timeoutMs: 15_000, what: `π from ${device} again`, after: mark });
      }
      assert.equal(started.gateway.process.exitCode, null, 'the gateway kept running');
      assert.equal(started.gateway.stdout.filter((line) => line.includes('"ready"')).length, 1, 'and was never restarted');
    });

    it('keeps polling the good unit while the far end writes garbage; the capture shows the dropped bytes with a note', async () => {
      const pty = await startPtyPair();
      // The far end, scripted: unit 1 answers (every third reply right after a frame with
      // a bad CRC, as line noise would), unit 2 answers only garbage, in turn: random
      // bytes, a truncated frame, a whole frame with a bad CRC.
      const far = await SerialLink.open({ path: pty.b, baudRate: 19200, parity: 'even', stopBits: 1, dataBits: 8, framing: 'rtu', role: 'request' });
      const demo = new DemoDevice();
      const badCrc = (frame: Buffer) => {
        const copy = Buffer.from(frame);
        copy[copy.length - 1] ^= 0x5a;
        return copy;
      };
      const noise = badCrc(encodeRtuFrame(1, encodeResponse({ functionCode: 3, registers: [0x1234, 0x5678] })));
      const garbage = {
        random: seededBytes(0xb1f0, 24),
        truncated: encodeRtuFrame(2, encodeResponse({ functionCode: 3, registers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] })).subarray(0, 11),
        badCrc: badCrc(encodeRtuFrame(2, encodeResponse({ functionCode: 3, registers: [7, 8] }))),
      };
      // The garbage itself must hold no frame a splitter could accept, or the test would prove nothing.
      for (const bytes of [noise, ...Object.values(garbage)]) {
        assert.deepEqual(new RtuFrameSplitter('response').push(bytes).frames, [], `no frame in ${bytes.toString('hex')}`);
      }
      const kinds = Object.values(garbage);
      const sentGarbage = new Map<string, number>();
      let unit1Replies = 0;
      far.on('frame', (wire) => {
        const { unitId, pdu } = decodeRtuFrame(wire);
        if (unitId === 1) {
          demo.update();
          const reply = encodeRtuFrame(1, handleRequestPdu(demo.model, pdu));
          far.send(++unit1Replies % 3 === 0 ? Buffer.concat([noise, reply]) : reply);
        } else if (unitId === 2) {
          const bytes = kinds[[...sentGarbage.values()].reduce((a, b) => a + b, 0) % kinds.length];
          sentGarbage.set(bytes.toString('hex'), (sentGarbage.get(bytes.toString('hex')) ?? 0) + 1);
          far.send(bytes);
        }
      });
      try {
        const transport = { kind: 'rtu' as const, path: pty.a, baudRate: 19200 };
        const started = await gatewayWith({
          devices: [
            { name: 'Good', unitId: 1, pollMs: 100, timeoutMs: 300, retries: 1, transport, tags },
            { name: 'Noisy', unitId: 2, pollMs: 100, timeoutMs: 200, retries: 0, transport, tags },
          ],
        });
        client = started.client;
        await client.waitForTagValue('Good', 'pi', (v) => v.quality === 'good', { timeoutMs: 15_000, what: 'π from the good unit' });
        await until(() => kinds.every((bytes) => (sentGarbage.get(bytes.toString('hex')) ?? 0) >= 2), 20_000, 'each kind of garbage twice');

        // The good unit keeps being read while unit 2 keeps answering garbage.
        const mark = client.mark();
        const first = await client.waitForTagValue('Good', 'counter', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'a counter', after: mark });
        await client.waitForTagValue('Good', 'counter', (v) => v.quality === 'good' && v.value !== first.value, {
          timeoutMs: 5000,
          what: 'the counter to move',
          after: mark,
        });
        const noisy = await client.waitForTagValue('Noisy', 'counter', (v) => v.quality !== 'good' && v.error !== undefined, {
          timeoutMs: 5000,
          what: "the noisy unit's error",
        });
        assert.match(noisy.error!, /^Noisy: no reply from unit 2 to read holding registers 0(–\d+)? within 200 ms/);

        const { frames } = await client.request('capture.snapshot', {});
        const dropped = (bytes: Buffer) =>
          frames.find((f: CapturedFrame) => f.direction === 'rx' && f.hex === bytes.toString('hex') && /dropped/.test(f.note ?? ''));
        for (const [kind, bytes] of Object.entries(garbage)) {
          assert.ok(dropped(bytes), `the ${kind} garbage (${bytes.toString('hex')}) is in the capture, with a note`);
        }
        assert.match(dropped(noise)?.note ?? '', /bad CRC/, 'the noise before a good reply is dropped as a bad CRC');
        assert.ok(
          frames.some((f) => f.direction === 'rx' && f.device === 'Good' && f.note === undefined),
          'and the good replies behind it are taken',
        );

        // Nothing crashed: the gateway runs and both devices are still on the bus; the unit
        // that answers only garbage is on it but not answering, and says so.
        assert.equal(started.gateway.process.exitCode, null);
        const { devices } = await client.request('devices.snapshot', {});
        assert.deepEqual(
          devices.map((d) => d.status.state),
          ['connected', 'notAnswering'],
        );
      } finally {
        await far.close();
      }
    });
  });
});

/** Deterministic "random" bytes (mulberry32), so a failure can be replayed. */
function seededBytes(seed: number, length: number): Buffer {
  let state = seed >>> 0;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return bytes;
}

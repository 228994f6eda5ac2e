/**
 * The pitfalls of docs/pitfalls.md, each against real sockets or a real pseudo-terminal:
 * late replies, split and coalesced TCP segments, lost links, unit id 0xFF,
 * and no request without a timeout.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { Device } from '../../gateway/api/config';
import { silentLogger } from '../../gateway/engine/logger';
import { DeviceSession } from '../../gateway/engine/session';
import { SessionFactory } from '../../gateway/engine/sessionFactory';
import { ConnectionClosedError, FrameError, TimeoutError } from '../../gateway/protocol/errors';
import { decodeMbapFrame, encodeMbapFrame } from '../../gateway/protocol/mbap';
import { MbapReassembler } from '../../gateway/protocol/mbapReassembler';
import { encodeResponse } from '../../gateway/protocol/responses';
import { decodeRtuFrame, encodeRtuFrame } from '../../gateway/protocol/rtuFraming';
import { startDemoSimulator } from '../../gateway/simulator/demoSimulator';
import type { LinkFrame } from '../../gateway/transport/frames';
import { SerialLink } from '../../gateway/transport/serial';
import { stopAll } from './helpers/childProcess';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { startUniqueAnswerServer } from './helpers/uniqueAnswerServer';
import { until } from './helpers/wait';

const registers = (...values: number[]) => encodeResponse({ functionCode: 3, registers: values });
const read = (session: DeviceSession, address = 0) => session.request({ functionCode: 3, address, quantity: 1 });

interface Scripted {
  port: number;
  close(): Promise<void>;
}

/** A TCP device whose every answer the test scripts: `respond(transactionId, address, socket)`. */
async function tcpDevice(respond: (frame: { transactionId: number; unitId: number; address: number }, socket: net.Socket) => void): Promise<Scripted> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    const reassembler = new MbapReassembler();
    socket.on('data', (chunk) => {
      for (const adu of reassembler.push(chunk)) {
        const frame = decodeMbapFrame(adu);
        respond({ transactionId: frame.transactionId, unitId: frame.unitId, address: frame.pdu.readUInt16BE(1) }, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const answer = (transactionId: number, unitId: number, ...values: number[]) => encodeMbapFrame({ transactionId, unitId, pdu: registers(...values) });

function tcpSession(port: number, extra: Partial<ConstructorParameters<typeof DeviceSession>[0]> = {}): DeviceSession {
  return new DeviceSession({ device: 'Plc', unitId: 1, timeoutMs: 100, endpoint: async () => ({ host: '127.0.0.1', port }), logger: silentLogger, ...extra });
}

describe('pitfalls other Modbus tools hit (docs/pitfalls.md)', function () {
  this.timeout(20_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await stopAll();
  });

  async function connected(session: DeviceSession): Promise<DeviceSession> {
    cleanups.push(() => session.stop());
    session.start();
    await until(() => session.isConnected, 5000, 'the session to connect');
    return session;
  }

  it('#3 TCP: a late reply after a timeout is dropped, never taken as the next answer', async () => {
    let count = 0;
    const device = await tcpDevice((frame, socket) => {
      count++;
      // The first answer (111) comes 100 ms after its timeout, while the second request waits for 222.
      const [value, delay] = count === 1 ? [111, 400] : [222, 150];
      setTimeout(() => socket.write(answer(frame.transactionId, frame.unitId, value)), delay);
    });
    cleanups.push(() => device.close());
    const session = await connected(tcpSession(device.port, { timeoutMs: 300 }));
    await assert.rejects(read(session), TimeoutError);
    assert.deepEqual((await read(session)).registers, [222]);
    assert.equal(session.staleReplyCount, 1);
  });

  it('#3 RTU: a late reply that arrives before the next request is flushed, not delivered', async () => {
    requireSocat();
    const pty = await startPtyPair();
    const device = await SerialLink.open({ path: pty.b, baudRate: 19200, parity: 'even', stopBits: 1, dataBits: 8, framing: 'rtu', role: 'request' });
    cleanups.push(() => device.close());
    let count = 0;
    device.on('frame', (frame) => {
      const { unitId } = decodeRtuFrame(frame);
      count++;
      const reply = encodeRtuFrame(unitId, registers(count === 1 ? 111 : 222));
      setTimeout(() => device.send(reply), count === 1 ? 120 : 0);
    });
    const frames: LinkFrame[] = [];
    const factory = new SessionFactory({ logger: silentLogger, demoEndpoint: async () => ({ host: '', port: 0 }), onFrame: (f) => frames.push(f) });
    const session = factory.create(
      Device.parse({ name: 'Drive', unitId: 1, timeoutMs: 80, retries: 0, minGapMs: 250, transport: { kind: 'rtu', path: pty.a, baudRate: 19200 } }),
    );
    await connected(session);
    await assert.rejects(read(session), TimeoutError);
    const second = await read(session);
    assert.deepEqual(second.registers, [222]);
    assert.ok(
      frames.some((f) => f.direction === 'rx' && f.note !== undefined && f.bytes.equals(encodeRtuFrame(1, registers(111)))),
      'the late frame is in the capture, marked dropped',
    );
  });

  it('#11 TCP: a reply split into single bytes, and two replies coalesced into one segment, are both reassembled', async () => {
    const held: { transactionId: number; unitId: number; address: number }[] = [];
    const device = await tcpDevice((frame, socket) => {
      if (frame.address === 0) {
        const bytes = answer(frame.transactionId, frame.unitId, 42);
        bytes.forEach((byte, i) => setTimeout(() => socket.write(Buffer.from([byte])), i * 3));
        return;
      }
      held.push(frame);
      if (held.length === 2) socket.write(Buffer.concat(held.map((f) => answer(f.transactionId, f.unitId, f.address * 10))));
    });
    cleanups.push(() => device.close());
    const session = await connected(tcpSession(device.port, { timeoutMs: 2000, maxInFlight: 2 }));
    assert.deepEqual((await read(session, 0)).registers, [42]);
    const [a, b] = await Promise.all([read(session, 1), read(session, 2)]);
    assert.deepEqual([a.registers, b.registers], [[10], [20]]);
  });

  it('#4 a lost link rejects every pending request at once with ConnectionClosedError', async () => {
    let received = 0;
    const device = await tcpDevice((_frame, socket) => {
      if (++received === 2) socket.destroy();
    });
    cleanups.push(() => device.close());
    const session = await connected(tcpSession(device.port, { timeoutMs: 60_000, maxInFlight: 2 }));
    const results = await Promise.allSettled([read(session, 0), read(session, 1), read(session, 2)]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      const error = (result as PromiseRejectedResult).reason;
      assert.ok(error instanceof ConnectionClosedError, String(error));
      assert.match(error.message, /^Plc: /);
    }
  });

  it('#10 unit id 0xFF works over TCP', async () => {
    const simulator = await startDemoSimulator({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => simulator.close());
    const frames: LinkFrame[] = [];
    const session = await connected(tcpSession(simulator.address.port, { unitId: 0xff, onFrame: (f) => frames.push(f) }));
    const reply = await session.request({ functionCode: 3, address: 10, quantity: 2 });
    assert.equal(reply.registers.length, 2);
    assert.deepEqual(frames.map((f) => [f.direction, f.unitId, f.bytes[6]]), [['tx', 255, 0xff], ['rx', 255, 0xff]]);
  });

  it('a TCP device that answers with another unit id: refused with a hint by default, taken with replyUnitId "any"', async () => {
    const gateway = await startUniqueAnswerServer({ replyUnitId: 0 });
    cleanups.push(() => gateway.close());
    const factory = new SessionFactory({ logger: silentLogger, demoEndpoint: async () => ({ host: '', port: 0 }) });
    const device = (replyUnitId: 'match' | 'any') =>
      Device.parse({ name: 'Meter', unitId: 7, retries: 0, replyUnitId, transport: { kind: 'tcp', host: '127.0.0.1', port: gateway.port } });
    const strict = await connected(factory.create(device('match')));
    cleanups.push(() => strict.stop());
    await assert.rejects(strict.request({ functionCode: 3, address: 40, quantity: 2 }), (error: unknown) => {
      assert.ok(error instanceof FrameError);
      assert.match(error.message, /^Meter: .*unit 7.*got unit 0/);
      assert.match(error.message, /"replyUnitId": "any"/, 'the message says how to accept it');
      return true;
    });
    const lenient = await connected(factory.create(device('any')));
    cleanups.push(() => lenient.stop());
    const reply = await lenient.request({ functionCode: 3, address: 40, quantity: 2 });
    assert.equal(reply.registers.length, 2, 'the transaction id pairs the reply; its unit id is not checked');
    // On a serial line the unit id is the address: "any" is refused where it is written.
    const serial = Device.safeParse({ name: 'Drive', replyUnitId: 'any', transport: { kind: 'rtu', path: '/dev/ttyUSB0' } });
    assert.ok(!serial.success && serial.error.issues.some((issue) => issue.path.join('.') === 'replyUnitId' && /Modbus TCP only/.test(issue.message)));
  });

  it('#1 no request hangs: a device that accepts and never answers times out with the default timeout', async () => {
    const device = await tcpDevice(() => {});
    cleanups.push(() => device.close());
    const factory = new SessionFactory({ logger: silentLogger, demoEndpoint: async () => ({ host: '', port: 0 }) });
    const session = await connected(factory.create(Device.parse({ name: 'Mute', retries: 0, transport: { kind: 'tcp', host: '127.0.0.1', port: device.port } })));
    await assert.rejects(read(session), (error: unknown) => error instanceof TimeoutError && error.timeoutMs === 1000);
  });
});

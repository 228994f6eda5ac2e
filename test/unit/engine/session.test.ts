import assert from 'node:assert/strict';
import net from 'node:net';
import type { DeviceStatus } from '../../../gateway/api/channel';
import { Backoff } from '../../../gateway/engine/backoff';
import { silentLogger } from '../../../gateway/engine/logger';
import { DeviceSession, type SessionOptions } from '../../../gateway/engine/session';
import {
  ConnectionClosedError,
  FrameError,
  ModbusExceptionError,
  ProtocolLimitError,
  TimeoutError,
} from '../../../gateway/protocol/errors';
import { encodeExceptionResponse, encodeResponse } from '../../../gateway/protocol/responses';
import type { LinkFrame } from '../../../gateway/transport/frames';
import { ScriptedServer, until } from '../helpers/scriptedServer';

const registers = (...values: number[]) => encodeResponse({ functionCode: 3, registers: values });
const fastBackoff = () => new Backoff({ initialMs: 20, maxMs: 100, factor: 2, jitter: 0 });

function sessionTo(port: number, timeoutMs = 200, onFrame?: (frame: LinkFrame) => void, extra: Partial<SessionOptions> = {}) {
  const statuses: DeviceStatus[] = [];
  const session = new DeviceSession({
    device: 'Dev',
    unitId: 1,
    timeoutMs,
    endpoint: async () => ({ host: '127.0.0.1', port }),
    logger: silentLogger,
    backoff: fastBackoff(),
    onFrame,
    ...extra,
  });
  session.on('status', (status) => statuses.push(status));
  return { session, statuses };
}

describe('device session', function () {
  let server: ScriptedServer;
  let session: DeviceSession | undefined;

  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(async () => {
    session?.stop();
    await server.stop();
  });

  it('connects, reads, and reports connecting then connected', async () => {
    server.onRequest = (request) => request.reply(registers(42, 43));
    const frames: LinkFrame[] = [];
    const made = sessionTo(server.port, 200, (frame) => frames.push(frame));
    session = made.session;
    session.start();
    await until(() => session!.isConnected);
    const response = await session.request({ functionCode: 3, address: 0, quantity: 2 });
    assert.deepEqual(response.registers, [42, 43]);
    assert.deepEqual(made.statuses.map((s) => s.state), ['connecting', 'connected']);
    assert.deepEqual(frames.map((f) => f.direction), ['tx', 'rx']);
    assert.equal(frames[0].link, `tcp://127.0.0.1:${server.port}`);
    assert.deepEqual(frames.map((f) => [f.device, f.unitId]), [['Dev', 1], ['Dev', 1]]);
  });

  it('matches pipelined replies by transaction id even when they come back out of order', async () => {
    const held: { reply: (pdu: Buffer) => void; address: number }[] = [];
    server.onRequest = (request) => {
      held.push({ reply: (pdu) => request.reply(pdu), address: request.frame.pdu.readUInt16BE(1) });
      if (held.length === 3) for (const item of held.reverse()) item.reply(registers(item.address * 10));
    };
    session = sessionTo(server.port, 200, undefined, { maxInFlight: 3 }).session;
    session.start();
    await until(() => session!.isConnected);
    const replies = await Promise.all([1, 2, 3].map((address) => session!.request({ functionCode: 3, address, quantity: 1 })));
    assert.deepEqual(replies.map((r) => r.registers[0]), [10, 20, 30]);
  });

  it('drops a reply that arrives after its timeout, so it cannot answer the next request', async () => {
    let count = 0;
    server.onRequest = (request) => {
      count++;
      if (count === 1) setTimeout(() => request.reply(registers(111)), 80);
      else setTimeout(() => request.reply(registers(222)), 120);
    };
    session = sessionTo(server.port, 50).session;
    session.start();
    await until(() => session!.isConnected);
    await assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 1 }), (error: unknown) => {
      return error instanceof TimeoutError && error.message === 'Dev: no reply from unit 1 to read holding registers 0 within 50 ms';
    });
    // The late 111 arrives while the second request waits; it must not be taken as its answer.
    const second = assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => session!.staleReplyCount === 1, 1000, 'the late reply');
    await second;
    const third = assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => session!.staleReplyCount === 2, 1000, 'the second late reply');
    await third;
  });

  it('rejects every waiting request with ConnectionClosedError when the device hangs up, then reconnects', async () => {
    let received = 0;
    server.onRequest = (request) => {
      if (++received === 3) request.hangUp();
    };
    const made = sessionTo(server.port, 5000, undefined, { maxInFlight: 3 });
    session = made.session;
    session.start();
    await until(() => session!.isConnected);
    await Promise.all(
      [0, 1, 2].map((address) =>
        assert.rejects(
          session!.request({ functionCode: 3, address, quantity: 1 }),
          (error: unknown) => error instanceof ConnectionClosedError && error.wasSent,
        ),
      ),
    );
    const failed = made.statuses.find((s) => s.state === 'error');
    assert.ok(failed, 'an error status');
    assert.match(failed.lastError ?? '', /connection lost/);
    assert.equal(typeof failed.retryInMs, 'number');
    server.onRequest = (request) => request.reply(registers(5));
    await until(() => session!.isConnected, 2000, 'the reconnect');
    assert.deepEqual((await session.request({ functionCode: 3, address: 0, quantity: 1 })).registers, [5]);
  });

  it('turns exception replies and wrong-unit replies into typed errors', async () => {
    server.onRequest = (request) => {
      if (request.frame.pdu.readUInt16BE(1) === 999) request.reply(encodeExceptionResponse(3, 2));
      else request.reply(registers(1), { unitId: 9 });
    };
    session = sessionTo(server.port).session;
    session.start();
    await until(() => session!.isConnected);
    await assert.rejects(session.request({ functionCode: 3, address: 999, quantity: 1 }), (error: unknown) => {
      return error instanceof ModbusExceptionError && error.exceptionCode === 2 && error.device === 'Dev';
    });
    await assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 1 }), (error: unknown) => {
      return error instanceof FrameError && /expected a reply from unit 1 \(.*"replyUnitId": "any"\), got unit 9/.test(error.message);
    });
  });

  it('refuses to send when not connected, and refuses oversized requests before sending', async () => {
    session = sessionTo(server.port).session;
    await assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 1 }), (error: unknown) => {
      return error instanceof ConnectionClosedError && !error.wasSent && /not connected/.test(error.message);
    });
    await assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 126 }), (error: unknown) => {
      return error instanceof ProtocolLimitError && error.device === 'Dev';
    });
  });

  it('keeps retrying a device that is down and connects once it comes up', async () => {
    const port = await freePort();
    const made = sessionTo(port);
    session = made.session;
    session.start();
    await until(() => made.statuses.some((s) => s.state === 'error'), 2000, 'a failed attempt');
    const failed = made.statuses.find((s) => s.state === 'error')!;
    assert.match(failed.lastError ?? '', /connection refused/);
    const late = net.createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve));
    try {
      await until(() => session!.isConnected, 2000, 'the connection');
    } finally {
      session.stop();
      late.close();
    }
  });

  it('drops the link when the device sends bytes that are not MBAP, and says why', async () => {
    // Protocol id 5 where 0 must be: no way to find where the next frame starts.
    server.onRequest = (request) => request.writeRaw(Buffer.from('000100050003010302', 'hex'));
    const made = sessionTo(server.port);
    session = made.session;
    session.start();
    await until(() => session!.isConnected);
    await assert.rejects(session.request({ functionCode: 3, address: 0, quantity: 1 }), ConnectionClosedError);
    await until(() => made.statuses.some((s) => s.state === 'error'), 2000, 'the error status');
    const failed = made.statuses.find((s) => s.state === 'error')!;
    assert.match(failed.lastError ?? '', /bad frame: expected protocol id 0 in the MBAP header, got 5/);
  });

  it('stops on request: disconnected, and no reconnect', async () => {
    session = sessionTo(server.port).session;
    const reasons: string[] = [];
    session.on('disconnected', (reason) => reasons.push(reason));
    session.start();
    await until(() => session!.isConnected);
    session.stop();
    assert.equal(session.status.state, 'disconnected');
    assert.deepEqual(reasons, ['disconnected by user']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(session.status.state, 'disconnected');
  });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

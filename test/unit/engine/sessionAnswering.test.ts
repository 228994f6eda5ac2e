import assert from 'node:assert/strict';
import type { DeviceStatus } from '../../../gateway/api/channel';
import { Backoff } from '../../../gateway/engine/backoff';
import { silentLogger, type LogEntry, type Logger } from '../../../gateway/engine/logger';
import { DeviceSession, type SessionOptions, type SettledExchange } from '../../../gateway/engine/session';
import { ModbusExceptionError, TimeoutError } from '../../../gateway/protocol/errors';
import { encodeExceptionResponse, encodeResponse } from '../../../gateway/protocol/responses';
import type { LinkFrame } from '../../../gateway/transport/frames';
import { ScriptedServer, until } from '../helpers/scriptedServer';

describe('device session: a device that stops answering', function () {
  let server: ScriptedServer;
  let session: DeviceSession | undefined;

  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(async () => {
    session?.stop();
    await server.stop();
  });

  /** A session against the scripted server, quick to time out and to retry; `overrides` for what a test is about. */
  function sessionToServer(overrides: Partial<SessionOptions> = {}): { dev: DeviceSession; statuses: DeviceStatus[] } {
    const dev = new DeviceSession({
      device: 'Dev',
      unitId: 1,
      timeoutMs: 30,
      retries: 0,
      endpoint: async () => ({ host: '127.0.0.1', port: server.port }),
      logger: silentLogger,
      backoff: new Backoff({ initialMs: 20, maxMs: 100, factor: 2, jitter: 0 }),
      ...overrides,
    });
    session = dev;
    const statuses: DeviceStatus[] = [];
    dev.on('status', (status) => statuses.push(status));
    return { dev, statuses };
  }

  function silentThenAnswering(answer: 'registers' | 'exception') {
    let requests = 0;
    server.onRequest = (request) => {
      if (++requests === 1) return;
      request.reply(answer === 'registers' ? encodeResponse({ functionCode: 3, registers: [5] }) : encodeExceptionResponse(3, 2));
    };
    const logs: LogEntry[] = [];
    const frames: LinkFrame[] = [];
    const logger: Logger = { log: (level, message, device) => logs.push({ level, message, ...(device ? { device } : {}) }) };
    const { dev, statuses } = sessionToServer({ timeoutMs: 50, logger, onFrame: (frame) => frames.push(frame) });
    return { session: dev, statuses, logs, frames };
  }

  it('is notAnswering after an unanswered request, and connected at the next reply; every change logged', async () => {
    const made = silentThenAnswering('registers');
    made.session.start();
    await until(() => made.session.isConnected);
    await assert.rejects(made.session.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => made.session.status.state === 'notAnswering', 500, 'notAnswering');
    assert.equal(made.session.status.lastError, 'no reply from unit 1 within 50 ms');
    assert.ok(made.session.isConnected, 'the link is up: requests still go out');
    assert.deepEqual((await made.session.request({ functionCode: 3, address: 0, quantity: 1 })).registers, [5]);
    await until(() => made.session.status.state === 'connected', 500, 'connected again');
    assert.deepEqual(made.statuses.map((s) => s.state), ['connecting', 'connected', 'notAnswering', 'connected']);
    assert.deepEqual(
      made.logs.filter((entry) => entry.message.includes('→')).map((entry) => [entry.level, entry.device, entry.message]),
      [
        ['info', 'Dev', `disconnected → connecting`],
        ['info', 'Dev', `connecting → connected: connected to tcp://127.0.0.1:${server.port}`],
        ['info', 'Dev', 'connected → notAnswering: no reply from unit 1 within 50 ms'],
        ['info', 'Dev', 'notAnswering → connected: the device answers again'],
      ],
    );
    const marker = made.frames.find((frame) => frame.bytes.length === 0);
    assert.ok(marker, 'the unanswered request is marked in the capture');
    assert.deepEqual(
      { direction: marker.direction, device: marker.device, unitId: marker.unitId, note: marker.note, link: marker.link },
      { direction: 'rx', device: 'Dev', unitId: 1, note: 'no reply within 50 ms', link: `tcp://127.0.0.1:${server.port}` },
    );
  });

  it('stays notAnswering while its silent connection is reopened, until the device answers', async () => {
    let answering = false;
    server.onRequest = (request) => {
      if (answering) request.reply(encodeResponse({ functionCode: 3, registers: [5] }));
    };
    const { dev, statuses } = sessionToServer({ maxConsecutiveTimeouts: 2 });
    let connects = 0;
    dev.on('connected', () => connects++);
    dev.start();
    await until(() => dev.isConnected);
    for (let i = 0; i < 2; i++) await assert.rejects(dev.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => connects === 2 && dev.isConnected, 1000, 'the reopened connection');
    const silentSince = dev.status.since;
    assert.deepEqual(statuses.map((s) => s.state), ['connecting', 'connected', 'notAnswering'], 'the reopen is no change of state');
    assert.equal(dev.status.lastError, 'no reply from unit 1 within 30 ms');
    answering = true;
    assert.deepEqual((await dev.request({ functionCode: 3, address: 0, quantity: 1 })).registers, [5]);
    await until(() => dev.status.state === 'connected', 500, 'connected at the reply');
    assert.ok(dev.status.since >= silentSince);
  });

  it('says the link is lost when the peer closes it while the device is silent, not a quiet reopen', async () => {
    let hangUp: (() => void) | undefined;
    server.onRequest = (request) => {
      hangUp = request.hangUp;
    };
    // Never reopened on its own within the test: whatever reopens it, the loss must show first.
    const { dev, statuses } = sessionToServer({ maxConsecutiveTimeouts: 100, backoff: new Backoff({ initialMs: 5000, maxMs: 5000, factor: 2, jitter: 0 }) });
    dev.start();
    await until(() => dev.isConnected);
    await assert.rejects(dev.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => dev.status.state === 'notAnswering', 500, 'notAnswering');
    hangUp!();
    await until(() => dev.status.state === 'error', 1000, 'the loss shown');
    assert.match(dev.status.lastError ?? '', /^connection lost: /);
    assert.deepEqual(statuses.map((s) => s.state), ['connecting', 'connected', 'notAnswering', 'error']);
  });

  it('counts an exception reply as an answer', async () => {
    const made = silentThenAnswering('exception');
    made.session.start();
    await until(() => made.session.isConnected);
    await assert.rejects(made.session.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => made.session.status.state === 'notAnswering', 500, 'notAnswering');
    await assert.rejects(made.session.request({ functionCode: 3, address: 0, quantity: 1 }), ModbusExceptionError);
    await until(() => made.session.status.state === 'connected', 500, 'connected again');
  });

  it('reports every settled request as an exchange event (what metrics count): the function code, the outcome and the round trip of replies, exceptions and timeouts', async () => {
    let requests = 0;
    server.onRequest = (request) => {
      requests++;
      if (requests === 1) request.reply(encodeResponse({ functionCode: 3, registers: [7] }));
      else if (requests === 2) request.reply(encodeExceptionResponse(6, 2));
      // the third stays unanswered
    };
    const { dev } = sessionToServer({ timeoutMs: 50 });
    const exchanges: SettledExchange[] = [];
    dev.on('exchange', (exchange) => exchanges.push(exchange));
    dev.start();
    await until(() => dev.isConnected);
    await dev.request({ functionCode: 3, address: 0, quantity: 1 });
    await assert.rejects(dev.request({ functionCode: 6, address: 0, value: 1 }), ModbusExceptionError);
    await assert.rejects(dev.request({ functionCode: 4, address: 0, quantity: 1 }), TimeoutError);
    await until(() => exchanges.length === 3, 500, 'three exchange events');
    assert.deepEqual(
      exchanges.map((exchange) => [exchange.functionCode, exchange.outcome]),
      [
        [3, 'ok'],
        [6, 'exception'],
        [4, 'timeout'],
      ],
    );
    assert.ok(exchanges.every((exchange) => exchange.elapsedMs >= 0));
    assert.ok(exchanges[2].elapsedMs >= 45, `a timeout takes the timeout: ${exchanges[2].elapsedMs} ms`);
  });
});

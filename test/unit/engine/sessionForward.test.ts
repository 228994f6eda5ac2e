import assert from 'node:assert/strict';
import { Backoff } from '../../../gateway/engine/backoff';
import type { Connector } from '../../../gateway/engine/connection';
import { silentLogger } from '../../../gateway/engine/logger';
import { MbapConnection } from '../../../gateway/engine/mbapConnection';
import { DeviceSession } from '../../../gateway/engine/session';
import { UnitDownError } from '../../../gateway/engine/unitHealth';
import { FrameError, TimeoutError } from '../../../gateway/protocol/errors';
import { encodeResponse } from '../../../gateway/protocol/responses';
import { TcpLink } from '../../../gateway/transport/tcp';
import { scriptedServerPerTest, until } from '../helpers/scriptedServer';

const readPdu = Buffer.of(3, 0, 0, 0, 1);
const writePdu = Buffer.of(6, 0, 1, 0, 7);

describe('device session: what a proxy forwards', function () {
  const scripted = scriptedServerPerTest();

  function connectTo(port: number, extra: { retries?: number; connector?: Connector } = {}): DeviceSession {
    const session = new DeviceSession({
      device: 'Dev',
      unitId: 1,
      timeoutMs: 100,
      endpoint: async () => ({ host: '127.0.0.1', port }),
      logger: silentLogger,
      backoff: new Backoff({ initialMs: 10_000, maxMs: 10_000, factor: 2, jitter: 0 }),
      // Timeouts in a row are what these tests make; the link must stay up through them.
      maxConsecutiveTimeouts: 100,
      ...extra,
    });
    session.start();
    return scripted.track(session);
  }

  it('repeats a read that timed out as often as asked, a write never', async () => {
    let reads = 0;
    let writes = 0;
    scripted.server().onRequest = (request) => (request.frame.pdu[0] === 3 ? reads++ : writes++);
    const device = connectTo(scripted.server().port, { retries: 2 });
    await until(() => device.isConnected);
    await assert.rejects(device.requestPdu(1, readPdu), TimeoutError);
    assert.equal(reads, 3);
    await assert.rejects(device.requestPdu(1, writePdu), TimeoutError);
    assert.equal(writes, 1);
    await assert.rejects(device.requestPdu(1, readPdu, { retries: 0 }), TimeoutError);
    assert.equal(reads, 4, "the proxy's own retries (0) replace the device's");
  });

  it('fails the one request in flight at once on a reply under another transaction id; a late reply is only dropped', async () => {
    let late: (() => void) | undefined;
    scripted.server().onRequest = (request) => {
      if (request.frame.pdu[2] === 9) request.reply(encodeResponse({ functionCode: 3, registers: [1] }), { transactionId: (request.frame.transactionId + 500) & 0xffff });
      else if (late === undefined) late = () => request.reply(encodeResponse({ functionCode: 3, registers: [2] }));
      else request.reply(encodeResponse({ functionCode: 3, registers: [3] }));
    };
    const device = connectTo(scripted.server().port);
    await until(() => device.isConnected);
    await assert.rejects(device.requestPdu(1, Buffer.of(3, 0, 9, 0, 1)), (error: unknown) => error instanceof FrameError && /transaction id/.test(error.message));
    // A request that times out, then its late reply arriving while the next one waits: stale, not the next one's fault.
    await assert.rejects(device.requestPdu(1, readPdu), TimeoutError);
    const next = device.requestPdu(1, readPdu);
    late!();
    assert.deepEqual(await next, encodeResponse({ functionCode: 3, registers: [3] }));
  });

  it('marks a silent unit down after 3 misses and refuses it at once; other units are served', async () => {
    scripted.server().onRequest = (request) => {
      if (request.frame.unitId === 1) request.reply(encodeResponse({ functionCode: 3, registers: [5] }));
    };
    const device = connectTo(scripted.server().port);
    await until(() => device.isConnected);
    for (let i = 0; i < 3; i++) await assert.rejects(device.requestPdu(2, readPdu, { guardUnits: true }), TimeoutError);
    await assert.rejects(device.requestPdu(2, readPdu, { guardUnits: true }), (error: unknown) => error instanceof UnitDownError && error.code === 'unitDown');
    assert.deepEqual(await device.requestPdu(1, readPdu, { guardUnits: true }), encodeResponse({ functionCode: 3, registers: [5] }));
  });

  it('connectNow tries again at once while the backoff sleeps', async () => {
    let attempts = 0;
    // Refused once, then a real connection to the scripted server.
    const connector: Connector = {
      connect: async () => {
        attempts++;
        if (attempts === 1) throw new Error('connection refused');
        const link = await TcpLink.connect({ host: '127.0.0.1', port: scripted.server().port, connectTimeoutMs: 1000 });
        return new MbapConnection(link, { device: 'Dev', maxInFlight: 1, minGapMs: 0, maxConsecutiveTimeouts: 3, logger: silentLogger });
      },
    };
    const device = connectTo(scripted.server().port, { connector });
    await until(() => device.status.state === 'error');
    assert.equal(device.status.retryInMs, 10_000);
    device.connectNow();
    await until(() => device.isConnected, 2000, 'connected long before the 10 s backoff');
    assert.equal(attempts, 2);
  });
});

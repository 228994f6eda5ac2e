/**
 * Modbus TCP sessions beyond one request at a time: maxInFlight is a ceiling,
 * replies may come back in any order, retries after a timeout, and a connection
 * that stays up but never answers is dropped and reopened (docs/pitfalls.md, pitfall 4).
 */
import assert from 'node:assert/strict';
import { Backoff } from '../../../gateway/engine/backoff';
import { silentLogger } from '../../../gateway/engine/logger';
import { DeviceSession, type SessionOptions } from '../../../gateway/engine/session';
import { TimeoutError } from '../../../gateway/protocol/errors';
import { encodeResponse } from '../../../gateway/protocol/responses';
import { ScriptedServer, until, type ScriptedConnection } from '../helpers/scriptedServer';

const registers = (...values: number[]) => encodeResponse({ functionCode: 3, registers: values });
const addressOf = (request: ScriptedConnection) => request.frame.pdu.readUInt16BE(1);

function session(port: number, extra: Partial<SessionOptions>): DeviceSession {
  return new DeviceSession({
    device: 'Dev',
    unitId: 1,
    timeoutMs: 1000,
    endpoint: async () => ({ host: '127.0.0.1', port }),
    logger: silentLogger,
    backoff: new Backoff({ initialMs: 20, maxMs: 100, factor: 2, jitter: 0 }),
    ...extra,
  });
}

describe('device session: pipelining, retries, silent connections', function () {
  let server: ScriptedServer;
  let dev: DeviceSession | undefined;

  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(async () => {
    dev?.stop();
    await server.stop();
  });

  for (const maxInFlight of [1, 4]) {
    it(`never has more than maxInFlight=${maxInFlight} requests outstanding, and answers all 12 in order`, async () => {
      const held: ScriptedConnection[] = [];
      let outstanding = 0;
      let peak = 0;
      server.onRequest = (request) => {
        outstanding++;
        peak = Math.max(peak, outstanding);
        held.push(request);
        // Answer newest first once the session has sent all it may.
        setTimeout(() => {
          for (const item of held.splice(0).reverse()) {
            outstanding--;
            item.reply(registers(addressOf(item)));
          }
        }, 5);
      };
      dev = session(server.port, { maxInFlight });
      dev.start();
      await until(() => dev!.isConnected);
      const addresses = Array.from({ length: 12 }, (_, i) => i);
      const replies = await Promise.all(addresses.map((address) => dev!.request({ functionCode: 3, address, quantity: 1 })));
      assert.deepEqual(replies.map((r) => r.registers[0]), addresses);
      assert.ok(peak <= maxInFlight, `peak ${peak} outstanding`);
      if (maxInFlight > 1) assert.ok(peak > 1, 'requests were pipelined');
    });
  }

  it('retries after a timeout, and the retry (with a new transaction id) gets the answer', async () => {
    const seen: number[] = [];
    server.onRequest = (request) => {
      seen.push(request.frame.transactionId);
      if (seen.length > 1) request.reply(registers(7));
    };
    dev = session(server.port, { timeoutMs: 50, retries: 2 });
    dev.start();
    await until(() => dev!.isConnected);
    const reply = await dev.request({ functionCode: 3, address: 0, quantity: 1 });
    assert.deepEqual(reply.registers, [7]);
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0], seen[1]);
  });

  it('drops and reopens a connection that stays up but answers nothing, after 3 timeouts in a row', async () => {
    let answering = false;
    server.onRequest = (request) => {
      if (answering) request.reply(registers(1));
    };
    dev = session(server.port, { timeoutMs: 30 });
    const reasons: string[] = [];
    dev.on('disconnected', (reason) => reasons.push(reason));
    dev.start();
    await until(() => dev!.isConnected);
    for (let i = 0; i < 3; i++) await assert.rejects(dev.request({ functionCode: 3, address: 0, quantity: 1 }), TimeoutError);
    await until(() => reasons.length === 1, 1000, 'the drop');
    assert.match(reasons[0], /no reply to 3 requests in a row; reconnecting/);
    answering = true;
    await until(() => dev!.isConnected, 2000, 'the reconnect');
    assert.deepEqual((await dev.request({ functionCode: 3, address: 0, quantity: 1 })).registers, [1]);
  });

  it('waits delayAfterConnectMs before it calls itself connected', async () => {
    dev = session(server.port, { delayAfterConnectMs: 80 });
    const states: string[] = [];
    dev.on('status', (status) => states.push(status.state));
    dev.start();
    await until(() => server.connections === 1, 1000, 'the TCP connect');
    assert.deepEqual(states, ['connecting']);
    await until(() => dev!.isConnected, 1000, 'connected after the delay');
  });
});

import assert from 'node:assert/strict';
import { silentLogger } from '../../../gateway/engine/logger';
import { DeviceSession, type SettledExchange } from '../../../gateway/engine/session';
import { ModbusExceptionError, TimeoutError } from '../../../gateway/protocol/errors';
import { encodeExceptionResponse, encodeResponse } from '../../../gateway/protocol/responses';
import { ScriptedServer, until } from '../helpers/scriptedServer';

describe('device session: every settled request as an exchange event (what metrics count)', function () {
  let server: ScriptedServer;
  let session: DeviceSession | undefined;

  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(async () => {
    session?.stop();
    await server.stop();
  });

  it('reports the function code, the outcome and the round trip of replies, exceptions and timeouts', async () => {
    let requests = 0;
    server.onRequest = (request) => {
      requests++;
      if (requests === 1) request.reply(encodeResponse({ functionCode: 3, registers: [7] }));
      else if (requests === 2) request.reply(encodeExceptionResponse(6, 2));
      // the third stays unanswered
    };
    session = new DeviceSession({ device: 'Dev', unitId: 1, timeoutMs: 50, retries: 0, endpoint: async () => ({ host: '127.0.0.1', port: server.port }), logger: silentLogger });
    const exchanges: SettledExchange[] = [];
    session.on('exchange', (exchange) => exchanges.push(exchange));
    session.start();
    await until(() => session!.isConnected);
    await session.request({ functionCode: 3, address: 0, quantity: 1 });
    await assert.rejects(session.request({ functionCode: 6, address: 0, value: 1 }), ModbusExceptionError);
    await assert.rejects(session.request({ functionCode: 4, address: 0, quantity: 1 }), TimeoutError);
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

import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ChannelClient, ChannelRequestError } from '../../../extension/gateway/channelClient';
import type { Logger } from '../../../extension/util/logger';
import { PROTOCOL_VERSION } from '../../../gateway/api';

const TOKEN = 'a-token-of-sixteen-chars';

/** A stand-in gateway: answers hello, then whatever the test's handler says. */
class FakeGateway {
  readonly server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  socket: WebSocket | undefined;
  handler: (method: string, params: unknown, id: number, socket: WebSocket) => void = () => {};

  constructor() {
    this.server.on('connection', (socket, request) => {
      if (!request.url?.includes(`token=${TOKEN}`)) {
        socket.close(4001, 'bad token');
        return;
      }
      this.socket = socket;
      socket.on('message', (data) => {
        const { id, method, params } = JSON.parse(data.toString()) as { id: number; method: string; params: unknown };
        if (method === 'hello') {
          reply(socket, id, { gatewayVersion: '0.0.1', protocolVersion: PROTOCOL_VERSION, pid: 1 });
        } else {
          this.handler(method, params, id, socket);
        }
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function reply(socket: WebSocket, id: number, result: unknown): void {
  socket.send(JSON.stringify({ type: 'response', id, ok: true, result }));
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string | Error) => lines.push(`${level}: ${String(message)}`);
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('extension/gateway/channelClient', () => {
  let gateway: FakeGateway;
  let logger: ReturnType<typeof recordingLogger>;
  let client: ChannelClient | undefined;

  beforeEach(async () => {
    gateway = new FakeGateway();
    await new Promise((resolve) => gateway.server.once('listening', resolve));
    logger = recordingLogger();
  });

  afterEach(async () => {
    client?.close();
    client = undefined;
    await gateway.close();
  });

  const connect = (options: { requestTimeoutMs?: number; token?: string } = {}): Promise<ChannelClient> =>
    ChannelClient.connect({ port: gateway.port, token: options.token ?? TOKEN, logger, clientName: 'test', requestTimeoutMs: options.requestTimeoutMs });

  it('says hello and resolves typed, validated results', async () => {
    gateway.handler = (method, _params, id, socket) => {
      assert.equal(method, 'devices.snapshot');
      reply(socket, id, { devices: [] });
    };
    client = await connect();
    assert.deepEqual(await client.request('devices.snapshot', {}), { devices: [] });
  });

  it('rejects with the gateway error code', async () => {
    gateway.handler = (_method, _params, id, socket) =>
      socket.send(JSON.stringify({ type: 'response', id, ok: false, error: { code: 'unknown_device', message: 'no such device' } }));
    client = await connect();
    await assert.rejects(client.request('device.connect', { device: 'x' }), (error: unknown) => {
      assert.ok(error instanceof ChannelRequestError);
      assert.equal(error.code, 'unknown_device');
      return true;
    });
  });

  it('rejects a result that does not match the method schema', async () => {
    gateway.handler = (_method, _params, id, socket) => reply(socket, id, { devices: 'nope' });
    client = await connect();
    await assert.rejects(client.request('devices.snapshot', {}), { code: 'bad_response' });
  });

  it('times out a request that gets no answer', async () => {
    // The handshake keeps the default budget: a loaded machine may take more than 50 ms to say hello.
    client = await connect();
    await assert.rejects(client.request('devices.snapshot', {}, { timeoutMs: 50 }), { code: 'timeout', message: /no answer within 50 ms/ });
  });

  it('rejects everything pending when the socket closes, and reports the close', async () => {
    client = await connect();
    let closed = false;
    client.onClose(() => (closed = true));
    const pending = client.request('devices.snapshot', {});
    await until(() => gateway.socket !== undefined);
    gateway.socket?.close(1001, 'going away');
    await assert.rejects(pending, { code: 'closed' });
    await until(() => closed);
    assert.equal(client.isOpen, false);
    await assert.rejects(client.request('devices.snapshot', {}), { code: 'closed' });
  });

  it('delivers valid events and logs bad messages without throwing', async () => {
    client = await connect();
    const statuses: string[] = [];
    client.onEvent('device.status', (status) => statuses.push(status.state));
    client.onEvent('device.status', () => {
      throw new Error('listener bug');
    });
    const socket = gateway.socket!;
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'mystery' }));
    socket.send(JSON.stringify({ type: 'event', event: 'device.status', data: { device: 'x', state: 'sleepy', since: 1 } }));
    socket.send(JSON.stringify({ type: 'event', event: 'future.event', data: {} }));
    socket.send(JSON.stringify({ type: 'response', id: 999, ok: true, result: {} }));
    socket.send(JSON.stringify({ type: 'event', event: 'device.status', data: { device: 'x', state: 'connected', since: 1 } }));
    await until(() => statuses.length === 1);
    assert.deepEqual(statuses, ['connected']);
    assert.ok(logger.lines.some((line) => line.startsWith('warn: channel: dropped a message that is not JSON')));
    assert.ok(logger.lines.some((line) => line.startsWith('warn: channel: dropped a malformed message')));
    assert.ok(logger.lines.some((line) => line.startsWith('warn: channel: dropped a malformed device.status event')));
    assert.ok(logger.lines.some((line) => line.includes('listener bug')));
    assert.equal(client.isOpen, true);
  });

  it('runs a request callback before events that followed its response on the wire', async () => {
    gateway.handler = (_method, _params, id, socket) => {
      // One TCP write holding both frames: the client reads them in one chunk.
      const raw = (socket as unknown as { _socket: import('node:net').Socket })._socket;
      raw.cork();
      reply(socket, id, { devices: [] });
      socket.send(JSON.stringify({ type: 'event', event: 'devices.changed', data: { devices: [] } }));
      process.nextTick(() => raw.uncork());
    };
    client = await connect();
    const order: string[] = [];
    client.onEvent('devices.changed', () => order.push('event'));
    await client.request('devices.snapshot', {}).then(() => order.push('snapshot'));
    await until(() => order.length === 2);
    assert.deepEqual(order, ['snapshot', 'event']);
  });

  it('fails to connect with a wrong token', async () => {
    await assert.rejects(connect({ token: 'wrong-token-wrong-token' }));
  });
});

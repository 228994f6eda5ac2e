/**
 * The proxy gives each client its own transaction ids back, whatever order the
 * device answers in and even when two clients use the same ids. Fails fast: every
 * reply is collected as it comes, so a reply under the wrong id or to the wrong
 * client is a named assertion within two seconds, not a client waiting forever for
 * an id that never comes back.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { ProxyDefinition } from '../../../gateway/api/proxyConfig';
import type { DeviceSession } from '../../../gateway/engine/session';
import { silentLogger } from '../../../gateway/engine/logger';
import { decodeMbapFrame, encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { MbapReassembler } from '../../../gateway/protocol/mbapReassembler';
import { ModbusProxy } from '../../../gateway/proxy/modbusProxy';

const DEADLINE_MS = 2000;

/** A device that answers a read of N registers at A with A, A+1, …, each reply held back so they come back out of order. */
function outOfOrderSession(): DeviceSession {
  let held: (() => void)[] = [];
  const release = () => {
    const batch = held.reverse();
    held = [];
    for (const answer of batch) answer();
  };
  return {
    isConnected: true,
    status: { device: 'D', state: 'connected', since: 0 },
    once: () => undefined,
    requestPdu: (_unit: number, pdu: Buffer) =>
      new Promise<Buffer>((resolve) => {
        const address = pdu.readUInt16BE(1);
        const quantity = pdu.readUInt16BE(3);
        const reply = Buffer.alloc(2 + quantity * 2);
        reply[0] = 3;
        reply[1] = quantity * 2;
        for (let i = 0; i < quantity; i++) reply.writeUInt16BE(address + i, 2 + i * 2);
        if (held.length === 0) setImmediate(release);
        held.push(() => resolve(reply));
      }),
  } as unknown as DeviceSession;
}

interface Received {
  transactionId: number;
  unitId: number;
  pdu: Buffer;
}

async function client(port: number): Promise<{ socket: net.Socket; received: Received[] }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: Received[] = [];
  const reassembler = new MbapReassembler();
  socket.on('data', (chunk: Buffer) => {
    for (const adu of reassembler.push(chunk)) {
      const frame = decodeMbapFrame(adu);
      received.push({ transactionId: frame.transactionId, unitId: frame.unitId, pdu: Buffer.from(frame.pdu) });
    }
  });
  return { socket, received };
}

function read(address: number, quantity: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu[0] = 3;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(quantity, 3);
  return pdu;
}

describe('proxy: transaction ids restored per client', () => {
  let proxy: ModbusProxy;
  const sockets: net.Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await proxy?.stop();
  });

  it('two clients with the same ids, answered out of order: each reply under its own id, to its own client', async () => {
    const session = outOfOrderSession();
    proxy = new ModbusProxy(
      ProxyDefinition.parse({ name: 'tids', listen: { host: '127.0.0.1', port: 0 }, device: 'D' }),
      { device: 'D', deviceUnitId: 1, concurrency: 8, session: () => session, recordFrame: () => {} },
      silentLogger,
    );
    await proxy.start();
    const port = proxy.info().listen!.port;
    const [a, b] = await Promise.all([client(port), client(port)]);
    sockets.push(a.socket, b.socket);
    // The same ids on both clients, unit ids and addresses of their own: any mix-up shows in the reply.
    const ids = [7, 8, 9, 0xffff, 0];
    const sent = (who: 'a' | 'b', id: number) => ({ unit: who === 'a' ? 1 : 2, address: (who === 'a' ? 1000 : 2000) + (id % 100), quantity: who === 'a' ? 2 : 3 });
    for (const id of ids) {
      for (const [who, c] of [['a', a], ['b', b]] as const) {
        const { unit, address, quantity } = sent(who, id);
        c.socket.write(encodeMbapFrame({ transactionId: id, unitId: unit, pdu: read(address, quantity) }));
      }
    }
    const deadline = Date.now() + DEADLINE_MS;
    while ((a.received.length < ids.length || b.received.length < ids.length) && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const [who, c] of [['a', a], ['b', b]] as const) {
      assert.equal(c.received.length, ids.length, `client ${who} got ${c.received.length} of ${ids.length} replies within ${DEADLINE_MS} ms: ${JSON.stringify(c.received.map((r) => r.transactionId))}`);
      assert.deepEqual(c.received.map((r) => r.transactionId).sort((x, y) => x - y), [...ids].sort((x, y) => x - y), `client ${who}: each id once`);
      for (const reply of c.received) {
        const { unit, address, quantity } = sent(who, reply.transactionId);
        assert.equal(reply.unitId, unit, `client ${who} transaction ${reply.transactionId}: its unit id`);
        assert.deepEqual(reply.pdu, Buffer.concat([Buffer.of(3, quantity * 2), ...Array.from({ length: quantity }, (_, i) => Buffer.of((address + i) >> 8, (address + i) & 0xff))]), `client ${who} transaction ${reply.transactionId}: the reply to its own request`);
      }
    }
  });
});

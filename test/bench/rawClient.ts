/**
 * A bare Node socket through the stream API (data events): writes a prebuilt FC 3 frame
 * and waits for the reply's byte count, with no decoding, timeouts or bookkeeping.
 * No library can beat it one request at a time; it shows how much of a round trip
 * is the client at all.
 */
import net from 'node:net';
import type { BenchClient } from './clients';

export async function connectRawSocket(port: number): Promise<BenchClient> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let transactionId = 0;
  let waiting: { expect: number; got: Buffer[]; length: number; resolve: (reply: Buffer) => void } | undefined;
  socket.on('data', (chunk: Buffer) => {
    if (!waiting) return;
    waiting.got.push(chunk);
    waiting.length += chunk.length;
    if (waiting.length >= waiting.expect) {
      const done = waiting;
      waiting = undefined;
      done.resolve(done.got.length === 1 ? done.got[0] : Buffer.concat(done.got));
    }
  });
  return {
    name: 'bare Node socket, stream API',
    read(table, address, quantity) {
      if (table !== 'holdingRegister') throw new Error('the raw client reads holding registers only');
      transactionId = (transactionId + 1) & 0xffff;
      const frame = Buffer.from([transactionId >> 8, transactionId & 0xff, 0, 0, 0, 6, 1, 3, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff]);
      return new Promise((resolve) => {
        waiting = {
          expect: 9 + 2 * quantity,
          got: [],
          length: 0,
          resolve: (reply) => resolve(Array.from({ length: quantity }, (_, i) => reply.readUInt16BE(9 + 2 * i))),
        };
        socket.write(frame);
      });
    },
    async close() {
      socket.destroy();
    },
  };
}

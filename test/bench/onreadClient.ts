/**
 * The Node floor for one request at a time: a socket read through `onread` into
 * one reused buffer (no stream machinery, no allocation per read), a prebuilt
 * FC 3 frame written at once, and the reply's registers read straight out of the
 * buffer. Bifrost's TCP link reads the same way; this client drops everything
 * else (timeouts, transaction matching, capture, checks), so no Node client can
 * do much better one request at a time.
 */
import net from 'node:net';
import type { BenchClient } from './clients';

export async function connectOnreadSocket(port: number): Promise<BenchClient> {
  let waiting: { expect: number; got: number; registers: number[]; resolve: (registers: number[]) => void } | undefined;
  const buffer = Buffer.allocUnsafe(4096);
  const socket = net.connect({
    host: '127.0.0.1',
    port,
    onread: {
      buffer,
      callback: (bytes: number) => {
        // One reply at a time and loopback delivers it whole; the reply is 9 + 2n bytes.
        if (!waiting) return true;
        waiting.got += bytes;
        if (waiting.got >= waiting.expect) {
          const done = waiting;
          waiting = undefined;
          for (let i = 0; i < done.registers.length; i++) done.registers[i] = buffer.readUInt16BE(9 + 2 * i);
          done.resolve(done.registers);
        }
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let transactionId = 0;
  return {
    name: 'bare Node socket, onread (Node floor)',
    read(table, address, quantity) {
      if (table !== 'holdingRegister') throw new Error('the onread client reads holding registers only');
      transactionId = (transactionId + 1) & 0xffff;
      const frame = Buffer.from([transactionId >> 8, transactionId & 0xff, 0, 0, 0, 6, 1, 3, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff]);
      return new Promise((resolve) => {
        waiting = { expect: 9 + 2 * quantity, got: 0, registers: new Array<number>(quantity), resolve };
        socket.write(frame);
      });
    },
    async close() {
      socket.destroy();
    },
  };
}

/**
 * The bench's reference device: a minimal Modbus TCP responder that answers reads
 * (FC 1–4) from fixed tables, as fast as Node allows, so the client is what gets
 * measured. No timers on the reply path, Nagle off, pipelined and coalesced frames
 * answered in one write. It shares no code with the gateway on purpose: both
 * clients talk to an independent peer.
 *
 * Run as a child (bundled by run.ts): it prints
 * "listening PORT" on stdout and exits when stdin closes (its parent went away).
 * `--turnaround-ms N` holds every reply N ms, like a device's scan cycle (the proxy
 * section's device-like responder); without it, replies leave at once.
 * A line "count" on stdin prints "served N": the requests answered so far.
 */
import net from 'node:net';

const TABLE_SIZE = 0x10000;
/** Register n holds n & 0xffff; bit n is set when n % 3 === 0: values a reader can check. */
const registers = new Uint16Array(TABLE_SIZE).map((_, index) => index);
const bits = new Uint8Array(TABLE_SIZE).map((_, index) => (index % 3 === 0 ? 1 : 0));

const turnaroundArg = process.argv.indexOf('--turnaround-ms');
const TURNAROUND_MS = turnaroundArg > 0 ? Number(process.argv[turnaroundArg + 1]) : 0;

const MAX_REGISTERS = 125;
const MAX_BITS = 2000;

function exception(header: Buffer, functionCode: number, code: number): Buffer {
  const reply = Buffer.allocUnsafe(9);
  header.copy(reply, 0, 0, 4);
  reply.writeUInt16BE(3, 4);
  reply[6] = header[6];
  reply[7] = functionCode | 0x80;
  reply[8] = code;
  return reply;
}

/** Answer one ADU (MBAP header + PDU). */
function answer(adu: Buffer): Buffer {
  const functionCode = adu[7];
  if (functionCode < 1 || functionCode > 4 || adu.length < 12) return exception(adu, functionCode, 1);
  const address = adu.readUInt16BE(8);
  const quantity = adu.readUInt16BE(10);
  const isBits = functionCode <= 2;
  if (quantity < 1 || quantity > (isBits ? MAX_BITS : MAX_REGISTERS)) return exception(adu, functionCode, 3);
  if (address + quantity > TABLE_SIZE) return exception(adu, functionCode, 2);
  const byteCount = isBits ? Math.ceil(quantity / 8) : quantity * 2;
  const reply = Buffer.alloc(9 + byteCount);
  adu.copy(reply, 0, 0, 4);
  reply.writeUInt16BE(3 + byteCount, 4);
  reply[6] = adu[6];
  reply[7] = functionCode;
  reply[8] = byteCount;
  if (isBits) {
    for (let i = 0; i < quantity; i++) if (bits[address + i]) reply[9 + (i >> 3)] |= 1 << (i & 7);
  } else {
    for (let i = 0; i < quantity; i++) reply.writeUInt16BE(registers[address + i], 9 + 2 * i);
  }
  return reply;
}

let served = 0;

function serve(socket: net.Socket): void {
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const replies: Buffer[] = [];
    while (pending.length >= 7) {
      const length = 6 + pending.readUInt16BE(4);
      if (length < 8 || length > 260) {
        socket.destroy();
        return;
      }
      if (pending.length < length) break;
      replies.push(answer(pending.subarray(0, length)));
      pending = pending.subarray(length);
    }
    if (replies.length === 0) return;
    served += replies.length;
    const reply = replies.length === 1 ? replies[0] : Buffer.concat(replies);
    if (TURNAROUND_MS > 0) setTimeout(() => socket.destroyed || socket.write(reply), TURNAROUND_MS);
    else socket.write(reply);
  });
  socket.on('error', () => socket.destroy());
}

const server = net.createServer(serve);
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as net.AddressInfo;
  process.stdout.write(`listening ${address.port}\n`);
});
// The parent holds our stdin; when it goes (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('data', (chunk: Buffer) => {
  if (chunk.includes('count')) process.stdout.write(`served ${served}\n`);
});
process.stdin.resume();

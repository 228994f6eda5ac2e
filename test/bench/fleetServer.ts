/**
 * Many devices for the fleet row: one process listening on N ports of 127.0.0.1,
 * each a minimal Modbus TCP device answering FC 3 at once, and timing the polls
 * that reach it. Run as a child (bundled by run.ts):
 *
 *   node fleetServer.js --devices 1000 --poll-ms 1000
 *
 * prints "ports P1,P2,…" and then "listening"; on stdin, "reset" starts the
 * measurement over and "report" prints one JSON line: how late each poll came
 * against its schedule (the previous poll + the poll period), in ms. Exits when
 * stdin closes.
 */
import net from 'node:net';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const DEVICES = arg('--devices', 1000);
const POLL_MS = arg('--poll-ms', 1000);

/** performance.now() of each port's last poll, and how late each poll came. */
const lastPoll = new Float64Array(DEVICES).fill(-1);
let lateness: number[] = [];
let polls = 0;

function reply(adu: Buffer): Buffer {
  const quantity = Math.min(125, adu.readUInt16BE(10));
  const out = Buffer.alloc(9 + quantity * 2);
  adu.copy(out, 0, 0, 4);
  out.writeUInt16BE(3 + quantity * 2, 4);
  out[6] = adu[6];
  out[7] = 3;
  out[8] = quantity * 2;
  return out;
}

/**
 * One timestamp for every poll read in the same event-loop turn: the polls that
 * reached the sockets together are stamped when this process woke to them, not
 * later by however long it took to answer the ones before them in the same turn
 * (one process standing in for a thousand devices is not a thousand devices).
 */
let turnNow = -1;
const endTurn = () => {
  turnNow = -1;
};
function wokeAt(): number {
  if (turnNow < 0) {
    turnNow = performance.now();
    setImmediate(endTurn);
  }
  return turnNow;
}

function serve(index: number, socket: net.Socket): void {
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const now = wokeAt();
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const replies: Buffer[] = [];
    while (pending.length >= 7) {
      const length = 6 + pending.readUInt16BE(4);
      if (pending.length < length) break;
      replies.push(reply(pending.subarray(0, length)));
      pending = pending.subarray(length);
    }
    if (replies.length === 0) return;
    polls++;
    if (lastPoll[index] >= 0) lateness.push(now - lastPoll[index] - POLL_MS);
    lastPoll[index] = now;
    socket.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
  });
  socket.on('error', () => socket.destroy());
}

async function main(): Promise<void> {
  const ports: number[] = [];
  for (let index = 0; index < DEVICES; index++) {
    const server = net.createServer((socket) => serve(index, socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports.push((server.address() as net.AddressInfo).port);
  }
  process.stdout.write(`ports ${ports.join(',')}\nlistening\n`);
}

process.stdin.on('data', (chunk: Buffer) => {
  const text = chunk.toString();
  if (text.includes('reset')) {
    lastPoll.fill(-1);
    lateness = [];
    polls = 0;
  }
  if (text.includes('report')) {
    const sorted = lateness.sort((a, b) => a - b);
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
    process.stdout.write(`report ${JSON.stringify({ polls, samples: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN })}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
void main();

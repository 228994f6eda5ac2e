/**
 * No client can take `bifrost-gateway proxy` (the built bundle) down: read-only lets
 * nothing through that changes the device, one client's flood does not starve the
 * others or grow the proxy without bound, sockets that send nothing cannot hold every
 * slot, a half-closing client gets all its replies, and a silent unit behind a TCP
 * gateway costs the healthy one little. Every load here is bounded and on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { encodeMbapFrame } from '../../gateway/protocol/mbap';
import { MbapReassembler } from '../../gateway/protocol/mbapReassembler';
import { decodeMbapFrame } from '../../gateway/protocol/mbap';
import { stopAll } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { startProxyCli, type ProxyChild } from './helpers/proxyCli';
import { requireBuiltGateway } from './helpers/tools';
import { expectedReadReply, startUniqueAnswerServer, type UniqueAnswerServer } from './helpers/uniqueAnswerServer';
import { until, within } from './helpers/wait';

const run = promisify(execFile);

/** The proxy process's resident memory now, in MB (Linux /proc). */
function rssMb(child: ProxyChild): number {
  const status = fs.readFileSync(`/proc/${child.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function closedSoon(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

/** Request PDUs of FC 8 with `subFunction` and FC 43 with `mei`. */
const diagnostics = (subFunction: number) => Buffer.of(8, subFunction >> 8, subFunction & 0xff, 0, 0);
const encapsulated = (mei: number) => Buffer.of(0x2b, mei, 1, 0);

describe('proxy CLI under abuse', function () {
  this.timeout(40_000);
  const servers: UniqueAnswerServer[] = [];
  const sockets: net.Socket[] = [];

  before(requireBuiltGateway);
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await stopAll();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function upstream(options: Parameters<typeof startUniqueAnswerServer>[0] = {}): Promise<UniqueAnswerServer> {
    const started = await startUniqueAnswerServer(options);
    servers.push(started);
    return started;
  }

  async function client(port: number): Promise<MbapClient> {
    const connected = await MbapClient.connect(port);
    sockets.push(connected.socket);
    return connected;
  }

  describe('--read-only lets through only what reads', () => {
    let device: UniqueAnswerServer;
    let proxy: ProxyChild;
    let reader: MbapClient;
    beforeEach(async () => {
      device = await upstream();
      proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`, ['--read-only']);
      reader = await client(proxy.port);
    });

    const refused: [string, Buffer][] = [
      ['FC 8 / 0x0001 restart communications', diagnostics(0x0001)],
      ['FC 8 / 0x0003 change ASCII delimiter', diagnostics(0x0003)],
      ['FC 8 / 0x0004 force listen-only mode', diagnostics(0x0004)],
      ['FC 8 / 0x000A clear counters', diagnostics(0x000a)],
      ['FC 8 / 0x0014 clear overrun counter', diagnostics(0x0014)],
      ['FC 43 / MEI 13 CANopen general reference', encapsulated(13)],
    ];
    for (const [what, pdu] of refused) {
      it(`refuses ${what} with exception 01; the device never sees it`, async () => {
        const reply = await reader.request(1, pdu);
        assert.deepEqual(reply.pdu, Buffer.of(pdu[0] | 0x80, 0x01));
        // A read after it reaches the device, so anything sent before it would be there by now.
        await reader.request(1, readHolding(0, 1));
        assert.deepEqual(
          device.received.map((r) => r.pdu[0]),
          [3],
          `only the read reached the device, not ${what}`,
        );
      });
    }

    const allowed = [0x0000, 0x0002, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011, 0x0012];
    for (const subFunction of allowed) {
      it(`forwards FC 8 / 0x${subFunction.toString(16).padStart(4, '0')}, which only reads`, async () => {
        await reader.request(1, diagnostics(subFunction));
        assert.deepEqual(device.received.map((r) => r.pdu), [diagnostics(subFunction)]);
      });
    }

    it('forwards FC 43 / MEI 14, read device identification', async () => {
      await reader.request(1, encapsulated(14));
      assert.deepEqual(device.received.map((r) => r.pdu), [encapsulated(14)]);
    });
  });

  it("one client's flood of 100k pipelined reads it never reads back: the others are served, it is held to --max-queued, memory stays bounded", async () => {
    const device = await upstream();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`, ['--max-in-flight', '8', '--max-queued', '32']);
    const polite = await client(proxy.port);
    // Warm up so the baseline includes what every proxy holds anyway.
    for (let i = 0; i < 200; i++) await polite.request(1, readHolding(i % 100, 4));
    const before = rssMb(proxy);

    const flooder = await connectRaw(proxy.port);
    sockets.push(flooder);
    flooder.pause(); // never reads its replies
    const flood = Buffer.concat(Array.from({ length: 100_000 }, (_, i) => encodeMbapFrame({ transactionId: i & 0xffff, unitId: 1, pdu: readHolding(i % 1000, 1) })));
    assert.ok(flood.length >= 1_200_000);
    flooder.write(flood);

    // The polite client keeps polling while the flood is taken in; every answer must be its own.
    let answered = 0;
    const floodSeen = until(() => proxy.stderr.some((line) => /has 32 requests queued \(maxQueued\)/.test(line)), 20_000, 'the flooder held to --max-queued 32');
    for (let i = 0; i < 300; i++) {
      const address = (i * 7) % 500;
      const reply = await within(polite.request(1, readHolding(address, 3)), 5000, `the polite client's read #${i} during the flood`);
      assert.deepEqual(reply.pdu, expectedReadReply(address, 3));
      answered++;
    }
    await floodSeen;
    assert.equal(answered, 300);
    const grown = rssMb(proxy) - before;
    assert.ok(grown < 50, `the proxy grew by ${grown.toFixed(1)} MB during the flood (bound: 50 MB)`);
    // Held to 32 queued at a time, the device saw far fewer requests than the flood held.
    assert.ok(device.received.length < 100_000, `the device got ${device.received.length} requests`);
  });

  it('a client that leaves more than 256 KiB of replies unread is closed; the others are served', async () => {
    const device = await upstream();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`, ['--max-in-flight', '16', '--max-queued', '10000']);
    const hoarder = await connectRaw(proxy.port);
    sockets.push(hoarder);
    hoarder.pause(); // never reads: 3 × 10,000 replies of 125 registers (7.8 MB), past the 4 MB the kernel buffers hold
    const batch = Buffer.concat(Array.from({ length: 10_000 }, (_, i) => encodeMbapFrame({ transactionId: i, unitId: 1, pdu: readHolding(i % 1000, 125) })));
    for (let round = 1; round <= 3 && !proxy.stderr.some((line) => /replies unread/.test(line)); round++) {
      hoarder.write(batch);
      await until(() => device.received.length >= round * 10_000 || proxy.stderr.some((line) => /replies unread/.test(line)), 20_000, `batch ${round} at the device`);
    }
    await until(() => proxy.stderr.some((line) => /left more than 256 KiB of replies unread/.test(line)), 30_000, 'the hoarder closed for its unread replies');
    const polite = await client(proxy.port);
    assert.deepEqual((await polite.request(1, readHolding(3, 3))).pdu, expectedReadReply(3, 3));
  });

  it('sockets that send nothing cannot hold every slot: the one idle longest makes room, and says so', async () => {
    const device = await upstream();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`, ['--max-clients', '4']);
    const silent = await Promise.all(Array.from({ length: 4 }, () => connectRaw(proxy.port)));
    sockets.push(...silent);
    let admitted: MbapClient | undefined;
    // Refused at first (nobody idle for 2 s yet), let in once one of the silent ones has been idle long enough.
    await until(() => admitted !== undefined, 10_000, 'a new client let in by closing an idle one', async () => {
      const attempt = await client(proxy.port);
      try {
        const reply = await within(attempt.request(1, readHolding(1, 1)), 2000, 'an answer');
        if (reply.pdu.equals(expectedReadReply(1, 1))) admitted = attempt;
      } catch {
        attempt.close();
      }
    });
    assert.ok(silent.some((socket) => socket.destroyed || socket.readableEnded), 'one of the silent sockets was closed');
    assert.ok(proxy.stderr.some((line) => /to make room for/.test(line)), `the log says so:\n${proxy.stderr.join('\n')}`);
  });

  it('a frame left half-sent is closed within a few seconds; an idle client after --idle-timeout', async () => {
    const device = await upstream();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`, ['--idle-timeout', '4']);
    const partial = await connectRaw(proxy.port);
    const idle = await connectRaw(proxy.port);
    sockets.push(partial, idle);
    partial.write(Buffer.of(0, 1, 0, 0, 0));
    await within(closedSoon(partial), 8000, 'the half-sent frame to be closed');
    await within(closedSoon(idle), 8000, 'the idle client to be closed');
    assert.ok(proxy.stderr.some((line) => /bytes of a frame/.test(line)));
    assert.ok(proxy.stderr.some((line) => /sent no request for 4 s/.test(line)));
    // The proxy itself goes on serving.
    const fresh = await client(proxy.port);
    assert.deepEqual((await fresh.request(1, readHolding(4, 2))).pdu, expectedReadReply(4, 2));
  });

  it('a client that half-closes after its requests gets every reply (a socket and socat)', async () => {
    const device = await upstream({ maxDelayMs: 20 });
    const proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`);
    const requests = Buffer.concat(Array.from({ length: 20 }, (_, i) => encodeMbapFrame({ transactionId: i + 1, unitId: 1, pdu: readHolding(i, 2) })));

    const socket = await connectRaw(proxy.port);
    sockets.push(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    socket.end(requests); // shutdown(SHUT_WR) after the requests
    await within(ended, 10_000, 'the proxy to end its side after the last reply');
    const replies = new MbapReassembler().push(Buffer.concat(chunks)).map(decodeMbapFrame);
    assert.equal(replies.length, 20);
    for (const reply of replies) assert.deepEqual(reply.pdu, expectedReadReply(reply.transactionId - 1, 2));

    // socat shuts down its writing side at the end of its input, as `nc -N` does.
    const input = `/tmp/bifrost-halfclose-${process.pid}.bin`;
    fs.writeFileSync(input, requests);
    try {
      // socat waits (-t) up to 10 s for the other side's end after its own EOF.
      const { stdout } = await run('sh', ['-c', `socat -t 10 - TCP:127.0.0.1:${proxy.port} < ${input} | wc -c`], { timeout: 20_000 });
      // 20 replies of 7 + 1 + 1 + 4 bytes.
      assert.equal(Number(stdout.trim()), 20 * 13);
    } finally {
      fs.rmSync(input, { force: true });
    }
  });

  it('a silent unit behind a TCP gateway is marked down after 3 misses: answered 0x0B at once, probed, and the healthy unit is served', async () => {
    const device = await upstream({ ignore: (unitId) => unitId === 2 });
    const proxy = await startProxyCli(`tcp://127.0.0.1:${device.port}`, ['--timeout', '300']);
    const scada = await client(proxy.port);
    const toUnit2 = () => device.received.filter((r) => r.unitId === 2).length;
    for (let i = 0; i < 3; i++) assert.deepEqual((await scada.request(2, readHolding(0, 1))).pdu, Buffer.of(0x83, 0x0b));
    assert.equal(toUnit2(), 3);
    await until(() => proxy.stderr.some((line) => /unit 2 did not answer 3 requests in a row: marked down/.test(line)), 5000, 'unit 2 marked down in the log');
    // Now refused at once: ten requests cost the device at most one probe (the first probe waits 0.8 s or more).
    const replies = await Promise.all(Array.from({ length: 10 }, () => within(scada.request(2, readHolding(0, 1)), 1000, 'an answer for a unit marked down')));
    for (const reply of replies) assert.deepEqual(reply.pdu, Buffer.of(0x83, 0x0b));
    assert.ok(toUnit2() <= 4, `unit 2 got ${toUnit2()} requests`);
    // The healthy unit is answered between them.
    const healthy = await within(scada.request(1, readHolding(9, 2)), 1000, 'unit 1 while unit 2 is down');
    assert.deepEqual(healthy.pdu, expectedReadReply(9, 2));
    // A probe goes out once its interval has passed.
    await until(() => toUnit2() > 3, 15_000, 'a probe to unit 2', async () => {
      await scada.request(2, readHolding(0, 1));
    });
  });
});

/**
 * The proxy in process, against an upstream whose every answer is unique to its
 * request: 100 concurrent clients with nothing mixed up (one at a time upstream,
 * and several in flight answered out of order), the function-code filter, unit
 * routing, the time budget (0x0B), garbage from a client, and both legs captured.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { MbapClient, readHolding, writeSingle } from './helpers/mbapClient';
import { startProxyHarness, tcpProxyConfig, type ProxyHarness } from './helpers/proxyHarness';
import { expectedReadReply, startUniqueAnswerServer, type UniqueAnswerServer } from './helpers/uniqueAnswerServer';
import { until } from './helpers/wait';

const CLIENTS = 100;
const REQUESTS_PER_CLIENT = 20;

describe('proxy (in process, unique answers)', function () {
  this.timeout(30_000);
  let upstream: UniqueAnswerServer | undefined;
  let harness: ProxyHarness | undefined;
  const clients: MbapClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await harness?.close();
    await upstream?.close();
    harness = undefined;
    upstream = undefined;
  });

  async function connectClients(count: number): Promise<MbapClient[]> {
    const made = await Promise.all(Array.from({ length: count }, () => MbapClient.connect(harness!.port)));
    clients.push(...made);
    return made;
  }

  /** Every client pipelines its requests at once; every reply must answer exactly its own request. */
  async function hundredClients(): Promise<void> {
    const all = await connectClients(CLIENTS);
    await Promise.all(
      all.map((client, c) =>
        Promise.all(
          Array.from({ length: REQUESTS_PER_CLIENT }, async (_, r) => {
            // Distinct address and count per (client, request): a misdelivered reply cannot match.
            const address = c * 100 + r * 3;
            const quantity = 1 + ((c + r) % 10);
            const unitId = 1 + (c % 5);
            const reply = await client.request(unitId, readHolding(address, quantity));
            assert.equal(reply.unitId, unitId, `client ${c} request ${r}: unit id restored`);
            assert.deepEqual(reply.pdu, expectedReadReply(address, quantity), `client ${c} request ${r} (HR ${address}, ${quantity})`);
          }),
        ),
      ),
    );
    const { stats } = harness!.proxies.list()[0];
    assert.equal(stats.requests, CLIENTS * REQUESTS_PER_CLIENT);
    assert.equal(stats.errors, 0);
  }

  it('100 clients, upstream answering one at a time (maxInFlight 1): every answer matches its request', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, { maxInFlight: 1 }, { maxClients: 200 }));
    await hundredClients();
    assert.equal(upstream.maxOutstanding, 1);
  });

  it('100 clients, 8 in flight upstream answered out of order: every answer matches its request', async () => {
    upstream = await startUniqueAnswerServer({ maxDelayMs: 3 });
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, { maxInFlight: 8 }, { maxClients: 200 }));
    await hundredClients();
    assert.ok(upstream.maxOutstanding > 1, `several requests were in flight (saw ${upstream.maxOutstanding})`);
    assert.ok(upstream.maxOutstanding <= 8);
  });

  it('restores each client its own transaction ids, even when two clients use the same ones', async () => {
    upstream = await startUniqueAnswerServer({ maxDelayMs: 2 });
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, { maxInFlight: 4 }));
    const [a, b] = await connectClients(2);
    const [ra, rb] = await Promise.all([a.request(1, readHolding(10, 2), 7), b.request(1, readHolding(20, 3), 7)]);
    assert.deepEqual(ra.pdu, expectedReadReply(10, 2));
    assert.deepEqual(rb.pdu, expectedReadReply(20, 3));
  });

  it('read-only: a write gets exception 01 and never reaches the device', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, {}, { allowedFunctions: 'read-only' }));
    const [client] = await connectClients(1);
    const write = await client.request(1, writeSingle(5, 99));
    assert.deepEqual(write.pdu, Buffer.of(0x86, 0x01));
    const read = await client.request(1, readHolding(5, 1));
    assert.deepEqual(read.pdu, expectedReadReply(5, 1));
    assert.ok(upstream.received.every((request) => request.pdu[0] !== 6), 'no write reached the upstream');
    // Nor did one leave on the device's link, by the capture.
    const deviceTx = harness.engine.capture.snapshot().frames.filter((frame) => frame.link.startsWith('tcp://') && frame.direction === 'tx');
    assert.ok(deviceTx.every((frame) => frame.hex.slice(14, 16) !== '06'));
    assert.equal(harness.proxies.list()[0].stats.refused, 1);
  });

  it("passes the device's exceptions through unchanged", async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port));
    const [client] = await connectClients(1);
    // Read input registers: this upstream refuses it with exception 01.
    const reply = await client.request(1, Buffer.of(4, 0, 0, 0, 1));
    assert.deepEqual(reply.pdu, Buffer.of(0x84, 0x01));
    assert.equal(upstream.received.length, 1, 'the request did reach the device');
  });

  it('remaps unit ids upstream and restores them to the client; unmapped ones can be refused with 0x0A', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, {}, { unitMap: { '1': 17 }, unmappedUnits: 'reject' }));
    const [client] = await connectClients(1);
    const mapped = await client.request(1, readHolding(0, 1));
    assert.equal(mapped.unitId, 1);
    assert.equal(upstream.received.at(-1)!.unitId, 17);
    const refused = await client.request(2, readHolding(0, 1));
    assert.deepEqual(refused.pdu, Buffer.of(0x83, 0x0a));
    assert.equal(upstream.received.length, 1);
  });

  it('answers 0x0B when the device does not reply within the budget, and keeps serving afterwards', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, { timeoutMs: 400, retries: 0 }, { requestTimeoutMs: 150 }));
    const [client] = await connectClients(1);
    upstream.silent = true;
    const timedOut = await client.request(1, readHolding(1, 1));
    assert.deepEqual(timedOut.pdu, Buffer.of(0x83, 0x0b));
    upstream.silent = false;
    // The session still waits for its own 400 ms timeout (maxInFlight 1); let it pass.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const later = await client.request(1, readHolding(2, 2));
    assert.deepEqual(later.pdu, expectedReadReply(2, 2));
    assert.ok(harness.proxies.list()[0].stats.timeouts >= 1);
  });

  it('a client sending garbage is closed; the others keep being answered and the proxy keeps running', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port));
    const [good] = await connectClients(1);
    const bad = net.connect({ host: '127.0.0.1', port: harness.port });
    bad.on('error', () => {});
    const badClosed = new Promise<void>((resolve) => bad.on('close', () => resolve()));
    await new Promise<void>((resolve) => bad.on('connect', () => resolve()));
    bad.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await badClosed;
    // Well framed but nonsense, answered at the proxy: function 0 (no function at all) → 01, a truncated read → 03.
    // (A function the proxy merely does not know goes to the device: proxyOpaque.test.ts.)
    assert.deepEqual((await good.request(1, Buffer.of(0x00, 1, 2))).pdu, Buffer.of(0x80, 0x01));
    assert.deepEqual((await good.request(1, Buffer.of(0x03, 0, 1))).pdu, Buffer.of(0x83, 0x03));
    assert.deepEqual((await good.request(1, readHolding(3, 3))).pdu, expectedReadReply(3, 3));
    assert.equal(harness.proxies.list()[0].state, 'running');
    assert.equal(upstream.received.length, 1, 'only the valid read reached the device');
  });

  it('a client disconnecting mid-request disturbs no one', async () => {
    upstream = await startUniqueAnswerServer({ maxDelayMs: 5 });
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, { maxInFlight: 2 }));
    const [leaver, stayer] = await connectClients(2);
    for (let i = 0; i < 20; i++) void leaver.request(1, readHolding(i, 1)).catch(() => {});
    leaver.close();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => stayer.request(1, readHolding(500 + i, 2))));
    replies.forEach((reply, i) => assert.deepEqual(reply.pdu, expectedReadReply(500 + i, 2)));
    await until(() => harness!.proxies.list()[0].clients.length === 1, 2000, 'the leaver to be forgotten');
  });

  it('keeps stats per client: its own requests, bytes and latency percentiles', async () => {
    // Unit 2 answers after 40 ms, unit 1 at once; upstream takes both at the same time.
    upstream = await startUniqueAnswerServer({ delayFor: (unitId) => (unitId === 2 ? 40 : 0) });
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, { maxInFlight: 4 }));
    const [fast, slow] = await connectClients(2);
    const slowReads = Promise.all(Array.from({ length: 3 }, (_, i) => slow.request(2, readHolding(10 + i, 1))));
    for (let i = 0; i < 10; i++) await fast.request(1, readHolding(i, 2));
    await slowReads;
    const info = harness.proxies.list()[0];
    const byPort = (client: MbapClient) => info.clients.find((c) => c.address.endsWith(`:${client.socket.localPort}`))!;
    const [fastInfo, slowInfo] = [byPort(fast), byPort(slow)];
    assert.equal(fastInfo.requests, 10);
    assert.equal(slowInfo.requests, 3);
    assert.equal(fastInfo.bytesIn, 10 * 12, 'ten 12-byte FC 3 requests');
    assert.equal(slowInfo.bytesOut, 3 * (9 + 2), 'three replies of one register');
    assert.ok(slowInfo.latencyMs.p50! >= 35, `the slow client's own p50 (${slowInfo.latencyMs.p50} ms) shows its device's 40 ms`);
    assert.ok(fastInfo.latencyMs.p50! < 35, `the fast client's p50 (${fastInfo.latencyMs.p50} ms) is not the slow one's`);
    assert.ok(slowInfo.latencyMs.p99! >= slowInfo.latencyMs.p50!);
    assert.equal(info.stats.requests, 13, 'the proxy counts both');
  });

  it('captures both legs of a request under one correlation, without an error note', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port));
    const [client] = await connectClients(1);
    await client.request(1, readHolding(40, 4), 0x1234);
    const frames = harness.engine.capture.snapshot().frames.filter((frame) => frame.correlation?.startsWith('proxy P #'));
    const notes = new Set(frames.map((frame) => frame.correlation));
    assert.equal(notes.size, 1);
    // A correlation is not a problem: `note` stays for dropped bytes, which the frame debugger flags.
    assert.ok(frames.every((frame) => frame.note === undefined), 'proxied frames carry no error note');
    const links = frames.map((frame) => `${frame.direction} ${frame.link.split('/')[0]}`);
    assert.deepEqual(links, ['rx proxy:', 'tx tcp:', 'tx proxy:']);
    // The client's leg keeps its transaction id; the device's leg has the session's own.
    assert.equal(frames[0].hex.slice(0, 4), '1234');
    assert.equal(frames[2].hex.slice(0, 4), '1234');
    assert.equal(frames[0].device, 'Upstream');
  });
});

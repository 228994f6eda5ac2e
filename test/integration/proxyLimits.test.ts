/**
 * What the proxy counts when it holds a client to its limits (proxy.list's stats, as
 * the Proxies view shows them), and reads coalesced while one is at the device.
 */
import assert from 'node:assert/strict';
import { MbapClient, readHolding, writeSingle } from './helpers/mbapClient';
import { startProxyHarness, tcpProxyConfig } from './helpers/proxyHarness';
import { expectedReadReply, startUniqueAnswerServer } from './helpers/uniqueAnswerServer';
import { until } from './helpers/wait';

describe('proxy limits and coalesced reads (in process)', function () {
  this.timeout(30_000);
  /** What each test started, closed after it in reverse order. */
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A unique-answer device, a proxy in front of it, and a way to connect clients to it. */
  async function start(deviceBehaviour: Parameters<typeof startUniqueAnswerServer>[0], device: Record<string, unknown>, proxy: Record<string, unknown>) {
    const upstream = await startUniqueAnswerServer(deviceBehaviour);
    cleanups.push(() => upstream.close());
    const harness = await startProxyHarness(tcpProxyConfig(upstream.port, device, proxy));
    cleanups.push(() => harness.close());
    const connect = async (count: number): Promise<MbapClient[]> => {
      const made = await Promise.all(Array.from({ length: count }, () => MbapClient.connect(harness.port)));
      for (const client of made) cleanups.push(() => client.close());
      return made;
    };
    return { upstream, harness, connect };
  }

  it('past maxQueued a client gets exception 06, counted in its stats and the proxy\'s; the others are not affected', async () => {
    const { harness, connect } = await start({ delayFor: () => 20 }, {}, { maxQueued: 2 });
    const [greedy, modest] = await connect(2);
    // Ten in one write: they arrive in one chunk, before the first can leave the queue.
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => greedy.request(1, readHolding(i, 1))));
    const busy = replies.filter((reply) => reply.pdu.equals(Buffer.of(0x83, 0x06)));
    const served = replies.filter((reply, i) => reply.pdu.equals(expectedReadReply(i, 1)));
    assert.equal(busy.length + served.length, 10);
    assert.ok(busy.length >= 7, `${busy.length} answered busy`);
    assert.deepEqual((await modest.request(1, readHolding(50, 2))).pdu, expectedReadReply(50, 2));
    const info = harness.proxies.list()[0];
    assert.equal(info.stats.busy, busy.length);
    const greedyInfo = info.clients.find((client) => client.requests === 10)!;
    assert.equal(greedyInfo.busy, busy.length);
    assert.equal(info.clients.find((client) => client.requests === 1)!.busy, 0);
  });

  it('an idle client is closed after idleTimeoutMs and counted in droppedClients', async () => {
    const { harness, connect } = await start({}, {}, { idleTimeoutMs: 1000 });
    const [idle] = await connect(1);
    await idle.request(1, readHolding(0, 1));
    await idle.closed;
    const info = () => harness.proxies.list()[0];
    await until(() => info().stats.droppedClients === 1 && info().clients.length === 0, 5000, 'droppedClients 1 and no client left');
  });

  it('coalesceReads: sixteen clients reading the same block share device requests; a write is never coalesced and later reads see it', async () => {
    const { upstream, harness, connect } = await start({ delayFor: () => 5 }, { maxInFlight: 4 }, { coalesceReads: true });
    const all = await connect(16);
    for (let round = 0; round < 20; round++) {
      const replies = await Promise.all(all.map((client) => client.request(1, readHolding(100, 8))));
      for (const reply of replies) assert.deepEqual(reply.pdu, expectedReadReply(100, 8));
    }
    const reads = upstream.received.filter((r) => r.pdu[0] === 3).length;
    assert.ok(reads <= (16 * 20) / 4, `the device saw ${reads} of ${16 * 20} reads`);
    assert.equal(harness.proxies.list()[0].stats.coalesced, 16 * 20 - reads);
    // Different blocks are not merged.
    const distinct = await Promise.all(all.map((client, i) => client.request(1, readHolding(200 + i, 1))));
    distinct.forEach((reply, i) => assert.deepEqual(reply.pdu, expectedReadReply(200 + i, 1)));
    const writes = await Promise.all(all.slice(0, 4).map((client) => client.request(1, writeSingle(7, 1))));
    for (const reply of writes) assert.deepEqual(reply.pdu, writeSingle(7, 1));
    assert.equal(upstream.received.filter((r) => r.pdu[0] === 6).length, 4, 'each write reaches the device');
  });

  it('coalesceReads, one request at a time: reads queued behind an identical one join it; one whose client went away hands over to the next', async () => {
    const { upstream: device, harness, connect } = await start({ delayFor: () => 60 }, {}, { coalesceReads: true });
    const all = await connect(8);
    const replies = await Promise.all(all.map((client) => client.request(1, readHolding(100, 8))));
    for (const reply of replies) assert.deepEqual(reply.pdu, expectedReadReply(100, 8));
    assert.equal(device.received.length, 1, 'eight identical reads at once: one device request');

    device.received.length = 0;
    const [busy, leaving, staying] = all;
    const first = busy.request(1, readHolding(1, 1));
    await until(() => device.received.length === 1, 5000, 'the first read at the device');
    const left = leaving.request(1, readHolding(300, 2));
    left.catch(() => {});
    const joined = staying.request(1, readHolding(300, 2));
    await until(() => harness.proxies.list()[0].stats.requests === 8 + 3, 5000, 'both reads of 300 at the proxy');
    leaving.socket.resetAndDestroy();
    assert.deepEqual((await joined).pdu, expectedReadReply(300, 2));
    assert.deepEqual((await first).pdu, expectedReadReply(1, 1));
    assert.deepEqual(
      device.received.map((r) => r.pdu.readUInt16BE(1)),
      [1, 300],
      'the read of 300 reached the device once, for the client that stayed',
    );
  });

  it("captures a reply under the wrong transaction id or from the wrong unit with a note naming the device's fault", async () => {
    const { harness, connect } = await start(
      { wrongTransactionId: (unitId) => unitId === 1, replyUnitId: 7 },
      {},
      {},
    );
    const [client] = await connect(1);
    assert.deepEqual((await client.request(1, readHolding(0, 1))).pdu, Buffer.of(0x83, 0x0b));
    assert.deepEqual((await client.request(2, readHolding(0, 1))).pdu, Buffer.of(0x83, 0x0b));
    const deviceFrames = harness.engine.capture.snapshot().frames.filter((frame) => frame.link.startsWith('tcp:'));
    const replies = deviceFrames.filter((frame) => frame.direction === 'rx');
    const notes = replies.map((frame) => frame.note);
    assert.equal(notes.length, 2);
    assert.match(notes[0] ?? '', /answered the one request in flight \(transaction id \d+\) with transaction id \d+/);
    // The wrong-id reply names the request it was taken for, so the Frame Debugger pairs the two.
    const request = deviceFrames.find((frame) => frame.direction === 'tx');
    assert.equal(replies[0].answers, request && Buffer.from(request.hex, 'hex').readUInt16BE(0));
    assert.equal(replies[1].answers, undefined);
    assert.match(notes[1] ?? '', /answered a request to unit 2 as unit 7/);
  });
});

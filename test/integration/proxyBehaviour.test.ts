/**
 * `bifrost-gateway proxy` (the built bundle) against responders that misbehave on
 * purpose, as a strict client sees it: a reply under the wrong transaction id or unit
 * id fails at once with 0x0B instead of after timeouts and retries; the proxy never
 * repeats a request unless told to, and never a write; a proxy started before its
 * device connects on a client's request instead of waiting out its backoff; requests
 * queued by a client that left never reach the device.
 */
import assert from 'node:assert/strict';
import { stopAll } from './helpers/childProcess';
import { MbapClient, readHolding, writeSingle, type Reply } from './helpers/mbapClient';
import { freePort } from './helpers/ports';
import { startProxyCli } from './helpers/proxyCli';
import { requireBuiltGateway } from './helpers/tools';
import { expectedReadReply, startUniqueAnswerServer, type UniqueAnswerServer } from './helpers/uniqueAnswerServer';
import { until, within } from './helpers/wait';

const GATEWAY_TARGET_FAILED = Buffer.of(0x83, 0x0b);
const GATEWAY_PATH_UNAVAILABLE = Buffer.of(0x83, 0x0a);

describe('proxy CLI against misbehaving devices', function () {
  this.timeout(30_000);
  const servers: UniqueAnswerServer[] = [];
  const clients: MbapClient[] = [];

  before(requireBuiltGateway);
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await stopAll();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function server(options: Parameters<typeof startUniqueAnswerServer>[0]): Promise<UniqueAnswerServer> {
    const started = await startUniqueAnswerServer(options);
    servers.push(started);
    return started;
  }

  async function client(port: number): Promise<MbapClient> {
    const connected = await MbapClient.connect(port);
    clients.push(connected);
    return connected;
  }

  const readsOf = (upstream: UniqueAnswerServer, address: number) => upstream.received.filter((r) => r.pdu[0] === 3 && r.pdu.readUInt16BE(1) === address).length;

  it('a reply under the wrong transaction id: 0x0B at once, no retry, logged; the next request is answered', async () => {
    const upstream = await server({ wrongTransactionId: (_unit, pdu) => pdu[0] === 3 && pdu.readUInt16BE(1) === 66 });
    // A device timeout far beyond the test's patience: only an immediate failure passes.
    const proxy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--timeout', '20000', '--request-timeout', '60000', '--retries', '3']);
    const strict = await client(proxy.port);
    const bad = await within(strict.request(1, readHolding(66, 2)), 5000, 'the answer to a request the device answered under a wrong id');
    assert.deepEqual(bad.pdu, GATEWAY_TARGET_FAILED);
    assert.equal(readsOf(upstream, 66), 1, 'the proxy does not repeat a request the device answered wrongly');
    const good = await within(strict.request(1, readHolding(10, 2)), 5000, 'the next request');
    assert.deepEqual(good.pdu, expectedReadReply(10, 2));
    await until(() => proxy.stderr.some((line) => /transaction id/.test(line)), 5000, 'the wrong id in the log');
  });

  it("a reply from a unit it was not asked: 0x0B at once; --reply-unit-id any takes it", async () => {
    const upstream = await server({ replyUnitId: 0 });
    const fussy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--timeout', '20000', '--request-timeout', '60000']);
    const strict = await client(fussy.port);
    const refused = await within(strict.request(1, readHolding(5, 1)), 5000, 'the answer to a reply from unit 0');
    assert.deepEqual(refused.pdu, GATEWAY_TARGET_FAILED);
    assert.equal(readsOf(upstream, 5), 1);

    const lenient = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--reply-unit-id', 'any']);
    const other = await client(lenient.port);
    const taken = await within(other.request(1, readHolding(5, 1)), 5000, 'the reply with --reply-unit-id any');
    assert.deepEqual(taken.pdu, expectedReadReply(5, 1));
    assert.equal(taken.unitId, 1, 'the client gets its own unit id back');
  });

  it('does not retry by default; --retries repeats a read but never a write', async () => {
    const upstream = await server({ ignore: () => true });
    const plain = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--timeout', '200']);
    const first = await client(plain.port);
    assert.deepEqual((await first.request(1, readHolding(1, 1))).pdu, GATEWAY_TARGET_FAILED);
    assert.equal(readsOf(upstream, 1), 1, 'sent once by a proxy with default options');

    const retrying = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--timeout', '200', '--retries', '2']);
    const second = await client(retrying.port);
    assert.deepEqual((await second.request(1, readHolding(2, 1))).pdu, GATEWAY_TARGET_FAILED);
    assert.equal(readsOf(upstream, 2), 3, 'a read: once plus two retries');
    assert.deepEqual((await second.request(1, writeSingle(7, 42))).pdu, Buffer.of(0x86, 0x0b));
    assert.equal(upstream.received.filter((r) => r.pdu[0] === 6).length, 1, 'a write is sent once, whatever --retries says');
  });

  it('upstream not up yet: 0x0A while it is down, then a request connects at once instead of waiting out the backoff', async () => {
    const port = await freePort();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${port}`, ['--request-timeout', '20000']);
    const early = await client(proxy.port);
    // Each of these starts a connect attempt that fails: the backoff grows to seconds (250 ms doubling, capped at 10 s).
    for (let i = 0; i < 7; i++) {
      const reply = await within(early.request(1, readHolding(0, 1)), 5000, `the answer while the device is down (#${i + 1})`);
      assert.deepEqual(reply.pdu, GATEWAY_PATH_UNAVAILABLE);
    }
    const upstream = await server({ port });
    // The backoff now waits 8 s or more; a request must not.
    const reply = await within(early.request(1, readHolding(3, 2)), 4000, 'the first answer once the device is up');
    assert.deepEqual(reply.pdu, expectedReadReply(3, 2));
    assert.equal(readsOf(upstream, 3), 1);
  });

  // A client that went away resets its connection (a killed program, an aborted socket). A plain
  // FIN cannot be told from a half-close until the proxy writes to it, so that one is served (see the half-close test).
  it('requests queued by a client that went away never reach the device; the one on the wire finishes and others are served', async () => {
    const upstream = await server({ delayFor: () => 300 });
    const proxy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`);
    const leaving = await client(proxy.port);
    const pipelined: Promise<Reply>[] = [];
    for (let i = 0; i < 5; i++) pipelined.push(leaving.request(1, readHolding(100 + i, 1)));
    for (const request of pipelined) request.catch(() => {});
    await until(() => upstream.received.length === 1, 5000, 'the first request at the device');
    leaving.socket.resetAndDestroy();
    await leaving.closed;
    const staying = await client(proxy.port);
    const reply = await within(staying.request(1, readHolding(200, 1)), 5000, "another client's answer");
    assert.deepEqual(reply.pdu, expectedReadReply(200, 1));
    const addresses = upstream.received.map((r) => r.pdu.readUInt16BE(1));
    assert.deepEqual(addresses, [100, 200], 'only the request already at the device, then the other client');
  });
});

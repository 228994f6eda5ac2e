/**
 * A TCP proxy in front of an RTU device on a real serial line (a socat pty pair):
 * the proxy is a protocol gateway, MBAP in and RTU with CRC out. Many clients share
 * the one bus; every answer still matches its request. And a TCP upstream restarted
 * mid-traffic: the proxy answers with gateway exceptions meanwhile, then recovers.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { start, stopAll } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { startProxyCli } from './helpers/proxyCli';
import { startProxyHarness, tcpProxyConfig, type ProxyHarness } from './helpers/proxyHarness';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, requireBuiltGateway, requireMbpoll } from './helpers/tools';
import { expectedReadReply, startUniqueAnswerServer, type UniqueAnswerServer } from './helpers/uniqueAnswerServer';
import { until } from './helpers/wait';

const run = promisify(execFile);

describe('proxy to a serial RTU device and across an upstream restart', function () {
  this.timeout(30_000);
  let harness: ProxyHarness | undefined;
  let upstream: UniqueAnswerServer | undefined;

  before(() => {
    requireBuiltGateway();
    requireSocat();
    requireMbpoll();
  });
  afterEach(async () => {
    await harness?.close();
    await upstream?.close();
    harness = undefined;
    upstream = undefined;
    await stopAll();
  });

  it('MBAP in, RTU out: mbpoll and 10 concurrent clients read an RTU device through the proxy', async () => {
    const pty = await startPtyPair();
    const device = start(process.execPath, [GATEWAY_JS, 'simulate', '--rtu', pty.b, '--baud', '115200', '--units', '1', '--no-wire-time']);
    await device.waitForStdout(/serving/);
    const proxy = await startProxyCli(`rtu://${pty.a}?baud=115200`);

    const { stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(proxy.port), '-1', '-0', '-r', '10', '-c', '4', '127.0.0.1'], { timeout: 10_000 });
    assert.match(stdout, /\[10\]:/);

    // Different clients, different counts: each reply's byte count must be its own request's.
    const clients = await Promise.all(Array.from({ length: 10 }, () => MbapClient.connect(proxy.port)));
    await Promise.all(
      clients.map(async (client, c) => {
        for (let r = 0; r < 5; r++) {
          const quantity = 1 + ((c + r) % 8);
          const reply = await client.request(1, readHolding(c, quantity));
          assert.equal(reply.pdu[0], 3, `client ${c}: a read reply, not exception ${reply.pdu[1]}`);
          assert.equal(reply.pdu[1], quantity * 2, `client ${c} request ${r}: ${quantity} registers`);
        }
      }),
    );
    for (const client of clients) client.close();
  });

  it('an upstream restarted mid-traffic: exceptions while it is gone, correct answers after', async () => {
    upstream = await startUniqueAnswerServer();
    const port = upstream.port;
    harness = await startProxyHarness(tcpProxyConfig(port, { timeoutMs: 300, retries: 0 }, { requestTimeoutMs: 1000 }));
    const client = await MbapClient.connect(harness.port);
    let stop = false;
    const seen = { answers: 0, exceptions: 0 };
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        const quantity = 1 + (i % 10);
        const reply = await client.request(1, readHolding(i % 1000, quantity));
        if (reply.pdu[0] === 0x83) {
          assert.ok([0x0a, 0x0b].includes(reply.pdu[1]), `a gateway exception, not ${reply.pdu[1]}`);
          seen.exceptions++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        } else {
          assert.deepEqual(reply.pdu, expectedReadReply(i % 1000, quantity));
          seen.answers++;
        }
      }
    })();
    await until(() => seen.answers > 50, 5000, 'traffic before the restart');
    await upstream.close();
    await until(() => seen.exceptions > 0, 5000, 'exceptions while the upstream is gone');
    upstream = await startUniqueAnswerServer({ port });
    const before = seen.answers;
    await until(() => seen.answers > before + 50, 15_000, 'answers again after the restart');
    stop = true;
    await traffic;
    client.close();
  });
});

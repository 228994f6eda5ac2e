/**
 * `run --metrics`: Prometheus text scraped over HTTP from the shipped gateway, parsed
 * and checked by promtool; counters that move with real traffic (the simulator, a
 * silent server that times out, a proxy client); /healthz, /readyz; the "metrics"
 * key of bifrost.json.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { DEMO_LAYOUT } from '../../gateway/api/demo';
import { start, startSimulator, stopAll, type Child, type Simulator } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { freePort } from './helpers/ports';
import { parsePrometheusText, sample, type Sample } from './helpers/promText';
import { SilentServer } from './helpers/silentServer';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

function requirePromtool(): void {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('promtool is not installed: these tests check the metrics with it. Install it with "apt-get install prometheus".');
  }
}

/** promtool check metrics reads the exposition on stdin; clean means exit 0 and nothing printed. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }));
    child.stdin!.end(text);
  });
}

async function get(url: string, method = 'GET'): Promise<{ status: number; body: string; contentType: string | null }> {
  const response = await fetch(url, { method });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
}

async function startRun(configFile: string, extra: string[] = []): Promise<{ child: Child; base: string }> {
  const child = start(process.execPath, [GATEWAY_JS, 'run', '--config', configFile, ...extra]);
  const [, url] = await child.waitForStdout(/^metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics$/);
  return { child, base: url };
}

describe('run --metrics: Prometheus metrics, /healthz and /readyz', function () {
  this.timeout(60_000);
  let simulator: Simulator;
  let silent: SilentServer;
  let dir: string;
  let configFile: string;
  let proxyPort: number;
  let deadProxyPort: number;

  before(async () => {
    requireBuiltGateway();
    requirePromtool();
    simulator = await startSimulator();
    silent = await SilentServer.listen();
    proxyPort = await freePort();
    deadProxyPort = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-metrics-'));
    const config: BifrostConfigInput = {
      devices: [
        {
          name: 'sim',
          transport: { kind: 'tcp', host: '127.0.0.1', port: simulator.port },
          pollMs: 100,
          tags: [
            { name: 'pi', address: `HR:${DEMO_LAYOUT.holding.piAbcd}`, type: 'float32', unit: 'rad' },
            { name: 'counter', address: `HR:${DEMO_LAYOUT.holding.counter}` },
            { name: 'running', address: `CO:${DEMO_LAYOUT.coils.running}`, type: 'bool' },
          ],
        },
        { name: 'silent', transport: { kind: 'tcp', host: '127.0.0.1', port: silent.port }, pollMs: 100, timeoutMs: 50, retries: 0, tags: [{ name: 'x', address: 'HR:0' }] },
        { name: 'off', transport: { kind: 'tcp', host: '127.0.0.1', port: 1 }, enabled: false },
      ],
      proxies: [
        { name: 'front', device: 'sim', listen: { port: proxyPort } },
        { name: 'dead', device: 'silent', listen: { port: deadProxyPort } },
      ],
    };
    configFile = path.join(dir, 'bifrost.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  });
  after(async () => {
    await stopAll();
    await silent?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves per-device, per-tag, per-proxy and process metrics that promtool finds clean, and counters move with traffic', async () => {
    const { child, base } = await startRun(configFile, ['--metrics', '127.0.0.1:0']);
    let samples: Sample[] = [];
    const scrape = async () => {
      const response = await get(`${base}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.contentType ?? '', /^text\/plain; version=0\.0\.4/);
      samples = parsePrometheusText(response.body);
      return response.body;
    };
    const okReads = () => sample(samples, 'bifrost_device_requests_total', { device: 'sim', function: '3', outcome: 'ok' }) ?? 0;

    await until(() => okReads() > 0 && (sample(samples, 'bifrost_device_reconnects_total', { device: 'silent' }) ?? 0) > 0, 15_000, 'reads of sim and a reconnect of silent', async () => {
      await scrape();
    });
    const text = await scrape();
    assert.deepEqual(await promtoolCheck(text), { code: 0, output: '' });

    assert.equal(sample(samples, 'bifrost_device_up', { device: 'sim' }), 1);
    assert.equal(sample(samples, 'bifrost_device_up', { device: 'silent' }), 0, 'connected but not answering is not up');
    assert.equal(sample(samples, 'bifrost_device_up', { device: 'off' }), 0);
    assert.equal(sample(samples, 'bifrost_tag_value', { device: 'sim', tag: 'pi', unit: 'rad' }), 3.1415927);
    assert.equal(sample(samples, 'bifrost_tag_value', { device: 'sim', tag: 'running', unit: '' }), 1);
    assert.equal(sample(samples, 'bifrost_tag_value', { device: 'silent', tag: 'x' }), undefined, 'a tag with no good value has no sample');
    assert.ok((sample(samples, 'bifrost_device_requests_total', { device: 'sim', function: '1', outcome: 'ok' }) ?? 0) > 0, 'coil reads counted under function 1');
    assert.ok((sample(samples, 'bifrost_device_timeouts_total', { device: 'silent' }) ?? 0) >= 3);
    assert.equal(sample(samples, 'bifrost_device_timeouts_total', { device: 'silent' }), sample(samples, 'bifrost_device_requests_total', { device: 'silent', function: '3', outcome: 'timeout' }));
    const lastPoll = sample(samples, 'bifrost_device_last_successful_poll_timestamp_seconds', { device: 'sim' })!;
    assert.ok(Math.abs(lastPoll - Date.now() / 1000) < 30, `last poll ${lastPoll} is recent`);
    assert.equal(sample(samples, 'bifrost_device_last_successful_poll_timestamp_seconds', { device: 'silent' }), undefined);
    const histogramCount = sample(samples, 'bifrost_device_request_duration_seconds_count', { device: 'sim' })!;
    assert.ok(histogramCount >= okReads(), 'every settled request is in the round-trip histogram');
    assert.equal(sample(samples, 'bifrost_device_request_duration_seconds_bucket', { device: 'sim', le: '+Inf' }), histogramCount);
    assert.ok((sample(samples, 'process_cpu_seconds_total') ?? -1) >= 0, 'process metrics');
    assert.ok((sample(samples, 'nodejs_heap_size_used_bytes') ?? 0) > 0);

    // The proxy: a client's read moves its counters and histogram, and it counts as connected.
    assert.equal(sample(samples, 'bifrost_proxy_requests_total', { proxy: 'front', device: 'sim' }), 0);
    assert.equal(sample(samples, 'bifrost_proxy_up', { proxy: 'front' }), 1);
    const client = await MbapClient.connect(proxyPort);
    try {
      const reply = await client.request(1, readHolding(DEMO_LAYOUT.holding.piAbcd, 2));
      assert.equal(reply.pdu[0], 3);
      await until(() => sample(samples, 'bifrost_proxy_requests_total', { proxy: 'front' }) === 1, 5000, 'the proxy request counted', async () => {
        await scrape();
      });
      assert.equal(sample(samples, 'bifrost_proxy_clients', { proxy: 'front' }), 1);
      assert.equal(sample(samples, 'bifrost_proxy_request_duration_seconds_count', { proxy: 'front' }), 1);
      assert.equal(sample(samples, 'bifrost_proxy_errors_total', { proxy: 'front' }), 0);
    } finally {
      client.close();
    }
    // A proxy in front of the silent device answers 0x0B (gateway target failed to respond): an error and an exception.
    const deadClient = await MbapClient.connect(deadProxyPort);
    try {
      const reply = await deadClient.request(1, readHolding(0, 1));
      assert.deepEqual([...reply.pdu], [0x83, 0x0b]);
      await until(() => sample(samples, 'bifrost_proxy_errors_total', { proxy: 'dead' }) === 1, 5000, 'the proxy error counted', async () => {
        await scrape();
      });
      assert.equal(sample(samples, 'bifrost_proxy_requests_total', { proxy: 'dead', device: 'silent' }), 1);
      assert.equal(sample(samples, 'bifrost_proxy_exceptions_total', { proxy: 'dead' }), 1);
      assert.equal(sample(samples, 'bifrost_proxy_errors_total', { proxy: 'front' }), 0);
    } finally {
      deadClient.close();
    }
    const before = okReads();
    await until(() => okReads() > before, 5000, 'the read counter to move on', async () => {
      await scrape();
    });

    child.process.kill('SIGINT');
    assert.equal((await child.exited).code, 0);
    await assert.rejects(fetch(`${base}/healthz`), 'the metrics port is closed on the way out');
  });

  it('answers /healthz and /readyz, refuses other methods and paths, and takes "metrics" from bifrost.json', async () => {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as BifrostConfigInput;
    const withMetrics = path.join(dir, 'with-metrics.json');
    fs.writeFileSync(withMetrics, JSON.stringify({ ...config, proxies: [], metrics: { listen: { host: '127.0.0.1', port: 0 } } }));
    const { child, base } = await startRun(withMetrics);
    assert.deepEqual(await get(`${base}/healthz`), { status: 200, body: 'ok\n', contentType: 'text/plain; charset=utf-8' });
    // Every enabled device tried once (sim connects, silent connects and times out); the disabled one does not count.
    let ready = await get(`${base}/readyz`);
    await until(() => ready.status === 200, 10_000, '/readyz to answer 200', async () => {
      ready = await get(`${base}/readyz`);
    });
    assert.equal(ready.body, 'ready\n');
    const post = await get(`${base}/metrics`, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.body, 'POST is not served; use GET\n');
    const missing = await get(`${base}/admin`);
    assert.equal(missing.status, 404);
    assert.match(missing.body, /try \/metrics, \/healthz or \/readyz/);
    child.process.kill('SIGTERM');
    assert.equal((await child.exited).code, 0);
  });

  it('exits 1 naming the port when the metrics address is taken, and 2 on a malformed --metrics', async () => {
    const holder = path.join(dir, 'holder.json');
    fs.writeFileSync(holder, JSON.stringify({ devices: [], metrics: { listen: { port: 0 } } }));
    const taken = await startRun(holder);
    const port = new URL(taken.base).port;
    const second = start(process.execPath, [GATEWAY_JS, 'run', '--config', configFile, '--metrics', `127.0.0.1:${port}`]);
    const exit = await second.exited;
    assert.equal(exit.code, 1);
    assert.match(second.stderr.join('\n'), new RegExp(`metrics: port ${port} on 127\\.0\\.0\\.1 is already in use`));
    const bad = start(process.execPath, [GATEWAY_JS, 'run', '--config', configFile, '--metrics', 'everywhere']);
    assert.equal((await bad.exited).code, 2);
    assert.match(bad.stderr.join('\n'), /--metrics expects HOST:PORT, like 127\.0\.0\.1:5020, not "everywhere"/);
  });
});

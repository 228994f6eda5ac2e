/**
 * The gateway as the extension runs it: a child process (dist/gateway.js serve)
 * spoken to over its WebSocket channel.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_DEVICE_NAME } from '../../gateway/api/demo';
import { TestChannelClient, refusedStatus } from './helpers/channelClient';
import { start, startGateway, stopAll, type Gateway } from './helpers/childProcess';
import { occupyPort } from './helpers/ports';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';
import { until, within } from './helpers/wait';

describe('gateway process (serve)', function () {
  let gateway: Gateway;
  let client: TestChannelClient;

  before(async () => {
    requireBuiltGateway();
    gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  it('prints exactly one ready line on stdout, first, and logs to stderr', () => {
    assert.deepEqual(Object.keys(gateway.ready).sort(), ['pid', 'port', 'token', 'version']);
    assert.equal(gateway.ready.pid, gateway.process.pid);
    assert.match(gateway.ready.token, /^[0-9a-f]{48}$/);
    assert.equal(gateway.stdout.length, 1);
    assert.ok(gateway.stderr.some((line) => line.includes('serving on ws://127.0.0.1:')));
  });

  it('refuses connections without the token, or with a wrong one, with 401', async () => {
    const base = `ws://127.0.0.1:${gateway.ready.port}/`;
    assert.equal(await refusedStatus(base), 401);
    assert.equal(await refusedStatus(`${base}?token=${'0'.repeat(48)}`), 401);
    assert.equal(await refusedStatus(`${base}?token=${gateway.ready.token.slice(0, 47)}`), 401);
  });

  it('answers hello with its version and protocol', async () => {
    const result = await client.request('hello', { client: 'integration-test', protocolVersion: 1 });
    assert.deepEqual(result, { gatewayVersion: gateway.ready.version, protocolVersion: 1, pid: gateway.ready.pid });
    const mismatch = await client.raw('hello', { client: 'future', protocolVersion: 2 });
    assert.ok(!mismatch.ok && mismatch.error.code === 'protocol_mismatch');
  });

  it('runs the demo device by default and again after config.apply null, streaming a changing counter', async () => {
    const mark = client.mark();
    let state = '';
    const { devices } = await client.request('config.apply', { config: null, source: 'test' });
    assert.deepEqual(devices.map((d) => d.name), [DEMO_DEVICE_NAME]);
    assert.match(devices[0].endpoint, /^demo:\/\/127\.0\.0\.1:\d+ #1$/);
    assert.equal(devices[0].tags.length, 14);
    await client.waitForEvent('devices.changed', () => true, { timeoutMs: 2000, what: 'devices.changed', after: mark });
    await client.waitForEvent('log', (entry) => entry.message.startsWith('configuration applied'), {
      timeoutMs: 2000,
      what: 'a log event',
      after: mark,
    });
    // The same config again changes nothing: Demo stays connected (or connects, if it had not yet), never drops.
    await until(() => state === 'connected', 5000, 'Demo connected', async () => {
      state = (await client.request('devices.snapshot', {})).devices[0].status.state;
    });
    const drops = client.events.slice(mark).filter((e) => e.event === 'device.status' && !['connecting', 'connected'].includes((e.data as { state: string }).state));
    assert.deepEqual(drops, []);

    const first = await client.waitForTagValue('Demo', 'counter', (v) => v.quality === 'good', {
      timeoutMs: 5000,
      what: 'a counter value',
      after: mark,
    });
    const later = await client.waitForTagValue('Demo', 'counter', (v) => v.quality === 'good' && v.value !== first.value, {
      timeoutMs: 5000,
      what: 'the counter to change',
      after: mark,
    });
    assert.equal(typeof later.value, 'number');
    assert.notEqual(later.value, first.value);
  });

  it('decodes the demo device: π in four orders, sign, uint32, bits and scale', async () => {
    await client.waitForTagValue('Demo', 'blink', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'a full scan' });
    const { devices } = await client.request('devices.snapshot', {});
    const values = new Map(devices[0].tags.map((tag) => [tag.name, tag.value]));
    for (const name of ['pi ABCD', 'pi CDAB', 'pi BADC', 'pi DCBA']) {
      assert.equal(values.get(name)?.value, 3.1415927, name);
      assert.equal(values.get(name)?.quality, 'good', name);
    }
    assert.deepEqual(values.get('pi ABCD')?.raw, [16457, 4059]);
    assert.equal(values.get('negative')?.value, -1234);
    assert.equal(values.get('big number')?.value, 123456789);
    assert.equal(values.get('setpoint')?.value, 25);
    assert.equal(values.get('running')?.value, true);
    assert.equal(typeof values.get('bit 0')?.value, 'boolean');
    const temperature = values.get('temperature')?.value as number;
    assert.ok(temperature > 19 && temperature < 24, `temperature ${temperature}`);
  });

  it('answers invalid params with invalid_params and keeps serving', async () => {
    const bad = await client.raw('device.connect', { device: 7 });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'invalid_params');
    const unknown = await client.raw('device.connect', { device: 'Nope' });
    assert.ok(!unknown.ok && unknown.error.code === 'unknown_device');
    const method = await client.raw('device.explode', {});
    assert.ok(!method.ok && method.error.code === 'unknown_method');
    const config = await client.raw('config.apply', { config: { devices: [{ name: 'x', transport: { kind: 'tcp' } }] } });
    assert.ok(!config.ok && config.error.code === 'invalid_config');
    assert.match(config.error.message, /^invalid configuration: devices\[0\]\.transport: host is missing \(expected text\)$/);

    client.socket.send('this is not json');
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await until(() => client.orphanResponses.length === 2, 2000, 'answers to the unreadable messages');
    assert.deepEqual(client.orphanResponses.map((r) => !r.ok && r.error.code), ['bad_message', 'bad_message']);
    assert.equal(gateway.process.exitCode, null);
    assert.ok((await client.request('hello', { client: 'still-there', protocolVersion: 1 })).pid);
  });

  it('disconnects (values go stale) and reconnects a device on request', async () => {
    let mark = client.mark();
    await client.request('device.disconnect', { device: 'Demo' });
    await client.waitForEvent('device.status', (s) => s.state === 'disconnected', { timeoutMs: 2000, what: 'disconnected', after: mark });
    const stale = await client.waitForTagValue('Demo', 'pi ABCD', (v) => v.quality === 'stale', {
      timeoutMs: 2000,
      what: 'a stale value',
      after: mark,
    });
    assert.equal(stale.value, 3.1415927, 'a stale value keeps the last reading');
    assert.equal(stale.error, 'disconnected by user');

    mark = client.mark();
    await client.request('device.connect', { device: 'Demo' });
    await client.waitForEvent('device.status', (s) => s.state === 'connected', { timeoutMs: 5000, what: 'connected', after: mark });
    await client.waitForTagValue('Demo', 'pi ABCD', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'good again', after: mark });
    await client.request('device.refresh', {});
  });

  it('exits cleanly when its stdin closes (the parent went away)', async () => {
    const other = await startGateway();
    other.process.stdin.end();
    const exit = await within(other.exited, 5000, 'the gateway to exit');
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(other.stderr.some((line) => line.includes('stdin closed')));
  });

  it('exits cleanly on SIGTERM', async () => {
    const other = await startGateway();
    other.process.kill('SIGTERM');
    assert.deepEqual(await within(other.exited, 5000, 'the gateway to exit'), { code: 0, signal: null });
  });
});

describe('gateway command line', function () {
  before(requireBuiltGateway);
  after(stopAll);

  async function run(args: string[]) {
    const child = start(process.execPath, [GATEWAY_JS, ...args]);
    const exit = await within(child.exited, 10_000, `bifrost-gateway ${args.join(' ')}`);
    return { ...exit, stdout: child.stdout.join('\n'), stderr: child.stderr.join('\n') };
  }

  it('says which port is in use', async () => {
    const held = await occupyPort();
    try {
      const result = await run(['serve', '--port', String(held.port)]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`port ${held.port} on 127\\.0\\.0\\.1 is already in use`));
      const simulate = await run(['simulate', '--listen', `127.0.0.1:${held.port}`]);
      assert.equal(simulate.code, 1);
      assert.match(simulate.stderr, new RegExp(`port ${held.port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await held.release();
    }
  });

  it('names a bad flag and points to --help', async () => {
    const result = await run(['serve', '--prot', '1']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option '--prot'/);
    assert.match(result.stderr, /bifrost-gateway serve --help/);
    assert.equal((await run(['frobnicate'])).code, 2);
  });

  it('prints help for each command', async () => {
    assert.match((await run(['--help'])).stdout, /Commands:/);
    assert.match((await run(['serve', '--help'])).stdout, /--config FILE/);
    assert.match((await run(['simulate', '--help'])).stdout, /--listen HOST:PORT/);
  });

  it('refuses an invalid --config with the JSON path of each problem', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-'));
    const file = path.join(dir, 'bifrost.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        devices: [{ name: 'Plc', transport: { kind: 'tcp', host: 'x' }, tags: [{ name: 'a', address: 'HR:0' }, { name: 'b', address: 'HR:x' }] }],
      }),
    );
    try {
      const result = await run(['serve', '--config', file]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '', 'no ready line');
      assert.match(result.stderr, /devices\[0\]\.tags\[1\]\.address: cannot read address "HR:x"/);
      const missing = await run(['serve', '--config', path.join(dir, 'nope.json')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /cannot read .*nope\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

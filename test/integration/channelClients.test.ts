/**
 * The channel survives its clients: a web page is refused, and a client that stops
 * reading neither grows the gateway nor holds anyone else up. Real WebSocket
 * clients against the shipped gateway; memory read from /proc.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import WebSocket from 'ws';
import { TOKEN_QUERY_PARAM } from '../../gateway/api/channel';
import { TestChannelClient, refusedStatus } from './helpers/channelClient';
import { startGateway, stopAll, type Gateway } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { until, within } from './helpers/wait';

/** The upgrade's HTTP status for these headers, with the right token. */
function upgradeStatus(port: number, token: string, options: WebSocket.ClientOptions): Promise<number> {
  return refusedStatus(`ws://127.0.0.1:${port}/?${TOKEN_QUERY_PARAM}=${token}`, options);
}

/** Peak resident memory of a process so far, in MiB (VmHWM). */
function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) / 1024;
}

/** A client that reads nothing until resumed: its socket is paused, so the gateway's writes back up. */
class StoppedReader {
  readonly socket: WebSocket;
  readonly received: { type: string; event?: string; data?: unknown }[] = [];
  readonly closed: Promise<void>;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (text) => this.received.push(JSON.parse(String(text))));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static async connect(port: number, token: string): Promise<StoppedReader> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/?${TOKEN_QUERY_PARAM}=${token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.pause();
    return new StoppedReader(socket);
  }

  /** Ask for the whole capture ring `count` times without reading a single answer. */
  askForSnapshots(count: number): void {
    for (let id = 1; id <= count; id++) this.socket.send(JSON.stringify({ type: 'request', id, method: 'capture.snapshot', params: {} }));
  }

  responses(): number {
    return this.received.filter((message) => message.type === 'response').length;
  }

  missed(): { events: number; responses: number; since: number } | undefined {
    return this.received.find((message) => message.event === 'channel.missed')?.data as { events: number; responses: number; since: number } | undefined;
  }
}

describe('the channel and its clients', function () {
  this.timeout(60_000);
  let gateway: Gateway;
  let client: TestChannelClient;
  const stalledTimeoutSeconds = 6;

  before(async () => {
    gateway = await startGateway(['--stalled-client-timeout', String(stalledTimeoutSeconds)]);
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  it('refuses a web page (Origin) and a Host header that is not its own (DNS rebinding) with 403', async () => {
    const { port, token } = gateway.ready;
    assert.equal(await upgradeStatus(port, token, { origin: 'https://evil.example' }), 403);
    assert.equal(await upgradeStatus(port, token, { origin: `http://localhost:${port + 1}` }), 403);
    assert.equal(await upgradeStatus(port, token, { headers: { host: `evil.example:${port}` } }), 403);
    const logged = await client.waitForEvent('log', (l) => /refused a channel connection .*DNS rebinding/.test(l.message), {
      timeoutMs: 2000,
      what: 'the refusal in the log',
    });
    assert.equal(logged.level, 'warn');
    // The extension's own way in still works, by every loopback name.
    const other = await TestChannelClient.connect(port, token);
    other.close();
  });

  it('stays bounded while a client asks for 300 full snapshots and reads none; others keep getting values', async () => {
    await client.request('config.apply', {
      config: {
        version: 1,
        devices: [{ name: 'Demo', transport: { kind: 'demo' }, pollMs: 50, tags: [{ name: 'counter', address: 'HR:0' }] }],
        proxies: [{ name: 'Load', listen: { port: 0 }, device: 'Demo', autoStart: true }],
      },
      source: 'channel test',
    });
    // Fill the capture ring (10,000 frames) through a proxy: every snapshot is then megabytes of JSON.
    const proxyPort = (await client.request('proxy.list', {})).proxies[0].listen.port;
    const modbus = await MbapClient.connect(proxyPort);
    const full = async () => ((await client.request('capture.snapshot', { limit: 1 })).frames[0]?.id ?? 0) >= 10_000;
    while (!(await full())) await Promise.all(Array.from({ length: 200 }, () => modbus.request(1, readHolding(0, 10))));
    modbus.close();
    const bytesPerSnapshot = JSON.stringify(await client.request('capture.snapshot', {})).length;
    assert.ok(bytesPerSnapshot > 1_000_000, `a snapshot is ${bytesPerSnapshot} bytes`);

    const baseline = peakRssMiB(gateway.process.pid!);
    const stopped = await StoppedReader.connect(gateway.ready.port, gateway.ready.token);
    const mark = client.mark();
    stopped.askForSnapshots(300);
    // The others are not held up: fresh values keep arriving, requests keep being answered.
    const first = await client.waitForTagValue('Demo', 'counter', () => true, { timeoutMs: 5000, what: 'a value', after: mark });
    await client.waitForTagValue('Demo', 'counter', (v) => v.value !== first.value, { timeoutMs: 5000, what: 'the next value', after: mark });
    assert.equal((await client.request('devices.snapshot', {})).devices.length, 1);

    stopped.socket.resume();
    await until(() => stopped.missed() !== undefined, 10_000, 'channel.missed once the client drains');
    const missed = stopped.missed()!;
    await until(() => stopped.responses() + missed.responses === 300, 10_000, 'every request answered or counted as missed');
    const growth = peakRssMiB(gateway.process.pid!) - baseline;
    const unbounded = (300 * bytesPerSnapshot) / 1024 / 1024;
    assert.ok(missed.responses > 200, `${missed.responses} of 300 responses missed`);
    assert.ok(growth < 150, `the gateway grew by ${growth.toFixed(0)} MiB at its peak (unbounded: ${unbounded.toFixed(0)} MiB)`);
    assert.ok(missed.since <= Date.now());
    // Caught up, it is a normal client again.
    stopped.socket.send(JSON.stringify({ type: 'request', id: 301, method: 'devices.snapshot', params: {} }));
    await until(() => stopped.received.some((m) => (m as { id?: number }).id === 301), 5000, 'an answer after catching up');
    stopped.socket.close();
  });

  it('closes a client that stays stuck past its time bound, and says so', async () => {
    const stuck = await StoppedReader.connect(gateway.ready.port, gateway.ready.token);
    const mark = client.mark();
    const stuckAt = Date.now();
    // A Frame Debugger that stopped reading: it watches live frames, and is behind.
    stuck.socket.send(JSON.stringify({ type: 'request', id: 0, method: 'capture.watch', params: { live: true } }));
    stuck.askForSnapshots(30);
    const logged = await client.waitForEvent('log', (l) => /closed a channel connection that stopped reading/.test(l.message), {
      timeoutMs: (stalledTimeoutSeconds + 10) * 1000,
      what: 'the stuck client to be closed',
      after: mark,
    });
    const [, events, responses] = /\d+ s behind, (\d+) events and (\d+) responses not sent/.exec(logged.message) ?? [];
    assert.ok(Number(events) > 0, `the frames it did not get were counted: ${logged.message}`);
    assert.ok(Number(responses) > 0, logged.message);
    assert.ok(Date.now() - stuckAt >= stalledTimeoutSeconds * 1000, 'not before its time bound');
    // Reading again, it finds the connection closed (a paused socket does not notice).
    stuck.socket.resume();
    await within(stuck.closed, 5000, 'the close to reach the client');
    assert.equal((await client.request('devices.snapshot', {})).devices.length, 1, 'the gateway serves on');
  });
});

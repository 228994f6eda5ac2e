/**
 * The capture forgets nothing that matters: each device keeps its share of the
 * ring however busy another is, and recordings to disk (pcapng, rotating) keep
 * everything, from the CLI and over the channel. tshark opens what is written.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll, type Gateway } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { GATEWAY_JS, requireTshark } from './helpers/tools';
import { until, within } from './helpers/wait';

/** What tshark reads from a capture file: one line per packet, the Modbus/TCP transaction id and unit id. */
function tsharkPackets(file: string): string[] {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'mbtcp', '-T', 'fields', '-e', 'mbtcp.trans_id', '-e', 'mbtcp.unit_id'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter(Boolean);
}

const demoConfig = (pollMs: number): BifrostConfigInput => ({
  version: 1,
  devices: [{ name: 'Demo', transport: { kind: 'demo' }, pollMs, tags: [{ name: 'counter', address: 'HR:0' }, { name: 'pi', address: 'HR:10', type: 'float32' }] }],
});

describe('capture: fair shares and recording to disk', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    requireTshark();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-record-'));
  });
  after(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function captureCli(args: string[]) {
    const child = start(process.execPath, [GATEWAY_JS, 'capture', ...args]);
    const exit = await within(child.exited, 30_000, `capture ${args.join(' ')}`);
    return { ...exit, stdout: child.stdout.join('\n'), stderr: child.stderr.join('\n') };
  }

  it('capture --seconds records every frame to one pcapng that tshark reads as Modbus/TCP', async () => {
    const config = path.join(dir, 'demo.json');
    fs.writeFileSync(config, JSON.stringify(demoConfig(50)));
    const pcap = path.join(dir, 'one.pcapng');
    const result = await captureCli(['--config', config, '--pcap', pcap, '--seconds', '2']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`recording 1 device\\(s\\) to ${pcap} for 2 s`));
    const recorded = /recorded (\d+) frames, (\d+) bytes to (.+)$/m.exec(result.stdout);
    assert.ok(recorded, result.stdout);
    assert.equal(recorded[3], pcap);
    assert.equal(Number(recorded[2]), fs.statSync(pcap).size);
    const packets = tsharkPackets(pcap);
    assert.ok(packets.length >= 20, `${packets.length} packets in 2 s of polling every 50 ms`);
    assert.equal(packets.length, Number(recorded[1]), 'tshark decodes every recorded frame as Modbus/TCP');
    assert.ok(packets.every((line) => /^\d+\t1$/.test(line)), 'transaction id and unit 1 on every packet');
  });

  it('capture --rotate-mb --keep rotates into numbered files and keeps only the newest', async () => {
    const config = path.join(dir, 'busy.json');
    fs.writeFileSync(config, JSON.stringify(demoConfig(10)));
    const pcap = path.join(dir, 'ring.pcapng');
    // 2 KB files: even a machine so loaded that it polls a tenth as often fills more than three.
    const result = await captureCli(['--config', config, '--pcap', pcap, '--seconds', '3', '--rotate-mb', '0.002', '--keep', '3']);
    assert.equal(result.code, 0, result.stderr);
    const written = Number(/(\d+) files \(kept/.exec(result.stdout)?.[1]);
    assert.ok(written > 3, `${written} files written:\n${result.stdout}`);
    const kept = fs.readdirSync(dir).filter((name) => name.startsWith('ring_')).sort();
    const expected = [written - 2, written - 1, written].map((n) => `ring_${String(n).padStart(5, '0')}.pcapng`);
    assert.deepEqual(kept, expected);
    for (const file of kept) {
      const size = fs.statSync(path.join(dir, file)).size;
      assert.ok(size <= 0.002 * 1024 * 1024 + 200, `${file} is ${size} bytes`);
      assert.ok(tsharkPackets(path.join(dir, file)).length > 0, `${file} opens in tshark`);
    }
  });

  it('refuses a bad recording by name, in words', async () => {
    const config = path.join(dir, 'demo.json');
    const keepAlone = await captureCli(['--config', config, '--pcap', path.join(dir, 'x.pcapng'), '--keep', '2']);
    assert.equal(keepAlone.code, 2);
    assert.match(keepAlone.stderr, /--keep bounds the files of a rotation: give --rotate-mb too/);
    const nowhere = await captureCli(['--config', config, '--pcap', path.join(dir, 'no/such/folder/x.pcapng'), '--seconds', '1']);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /cannot record to .*no\/such\/folder\/x\.pcapng: ENOENT/);
  });

  describe('over the channel', function () {
    let gateway: Gateway;
    let client: TestChannelClient;

    before(async () => {
      gateway = await startGateway();
      client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    });
    after(() => client?.close());

    it('records and stops on request; the file holds what the status says', async () => {
      await client.request('config.apply', { config: demoConfig(50), source: 'record test' });
      const pcap = path.join(dir, 'channel.pcapng');
      const started = await client.request('capture.record', { path: pcap });
      assert.deepEqual(started, { recording: true, path: pcap, files: [pcap], filesWritten: 1, bytes: started.bytes, frames: 0 });
      const again = await client.raw('capture.record', { path: pcap });
      assert.ok(!again.ok && again.error.code === 'invalid_params' && /already recording to .*channel\.pcapng: stop that recording first/.test(again.error.message));
      const { frames: before } = await client.request('capture.snapshot', { limit: 1 });
      let latest = 0;
      await until(() => latest > before[0].id + 20, 10_000, '20 more frames', async () => {
        latest = (await client.request('capture.snapshot', { limit: 1 })).frames[0].id;
      });
      const stopped = await client.request('capture.stopRecording', {});
      assert.equal(stopped.recording, false);
      assert.ok(stopped.frames >= 20, `${stopped.frames} frames recorded`);
      assert.equal(stopped.bytes, fs.statSync(pcap).size);
      assert.equal(tsharkPackets(pcap).length, stopped.frames);
      const relative = await client.raw('capture.record', { path: 'relative.pcapng' });
      assert.ok(!relative.ok && /cannot record to relative\.pcapng: give an absolute path/.test(relative.error.message));
    });

    it("keeps a quiet device's frames while a busy one floods the ring, and counts what each lost", async () => {
      await client.request('capture.clear', {});
      await client.request('config.apply', {
        config: {
          version: 1,
          devices: [
            { name: 'Busy', transport: { kind: 'demo' }, pollMs: 1000, tags: [{ name: 'counter', address: 'HR:0' }] },
            { name: 'Quiet', transport: { kind: 'demo' }, pollMs: 3_600_000, tags: [{ name: 'counter', address: 'HR:0' }] },
          ],
          // Room for each round of 200 at once: a loaded machine must not turn part of the flood
          // into "server busy" answers the device never sees (this test counts frames).
          proxies: [{ name: 'Flood', listen: { port: 0 }, device: 'Busy', autoStart: true, maxQueued: 1000 }],
        },
        source: 'fair share test',
      });
      await client.waitForTagValue('Quiet', 'counter', (v) => v.quality === 'good', { timeoutMs: 5000, what: "Quiet's one reading" });
      const quietFrames = (await client.request('capture.snapshot', {})).frames.filter((f) => f.device === 'Quiet');
      assert.equal(quietFrames.length, 2, 'one request, one reply');
      // 30,000 frames through the proxy to Busy: three times what the ring holds.
      const port = (await client.request('proxy.list', {})).proxies[0].listen.port;
      const modbus = await MbapClient.connect(port);
      for (let round = 0; round < 38; round++) await Promise.all(Array.from({ length: 200 }, () => modbus.request(1, readHolding(0, 2))));
      modbus.close();
      const snapshot = await client.request('capture.snapshot', {});
      assert.equal(snapshot.frames.length, snapshot.capacity);
      assert.deepEqual(
        snapshot.frames.filter((f) => f.device === 'Quiet').map((f) => f.id),
        quietFrames.map((f) => f.id),
        "Quiet's frames are all still there",
      );
      assert.equal(snapshot.droppedBy.Quiet, undefined);
      const lost = Object.values(snapshot.droppedBy).reduce((sum, n) => sum + n, 0);
      assert.equal(lost, snapshot.dropped);
      assert.ok(snapshot.dropped >= 20_000, `${snapshot.dropped} dropped: ${JSON.stringify(snapshot.droppedBy)}`);
    });
  });
});

/**
 * RTU and ASCII over real pseudo-terminals (socat pairs) at several baud rates:
 * the gateway as a child process polls devices that `simulate --rtu/--ascii`
 * serves, and a bus where one unit answers while another does not.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll, type Child } from './helpers/childProcess';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';

function startSerialSimulator(framing: 'rtu' | 'ascii', device: string, baud: number, units: string): Promise<Child> {
  const child = start(process.execPath, [GATEWAY_JS, 'simulate', `--${framing}`, device, '--baud', String(baud), '--units', units]);
  return child.waitForStdout(/serving/).then(() => child);
}

async function gatewayWith(config: BifrostConfigInput): Promise<TestChannelClient> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-serial-')), 'bifrost.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const gateway = await startGateway(['--config', file]);
  return TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
}

const tags = [
  { name: 'counter', address: 'HR:0' },
  { name: 'pi', address: 'HR:10', type: 'float32' as const },
];

describe('serial lines (socat pseudo-terminals)', function () {
  this.timeout(30_000);
  let client: TestChannelClient | undefined;

  before(() => {
    requireBuiltGateway();
    requireSocat();
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await stopAll();
  });

  for (const [framing, baud] of [
    ['rtu', 9600],
    ['rtu', 19200],
    ['rtu', 115200],
    ['ascii', 9600],
    ['ascii', 115200],
  ] as const) {
    it(`polls a ${framing.toUpperCase()} device at ${baud} baud: values change, frames are captured`, async () => {
      const pty = await startPtyPair();
      await startSerialSimulator(framing, pty.b, baud, '1');
      client = await gatewayWith({
        devices: [{ name: 'Meter', unitId: 1, pollMs: 100, transport: { kind: framing, path: pty.a, baudRate: baud }, tags }],
      });
      const { devices } = await client.request('devices.snapshot', {});
      const parity = framing === 'rtu' ? '8E1' : '7E1';
      assert.equal(devices[0].endpoint, `${framing}://${pty.a}@${baud} ${parity} #1`);
      const pi = await client.waitForTagValue('Meter', 'pi', (v) => v.quality === 'good', { timeoutMs: 10_000, what: 'π' });
      assert.equal(pi.value, 3.1415927);
      const first = await client.waitForTagValue('Meter', 'counter', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'a counter' });
      await client.waitForTagValue('Meter', 'counter', (v) => v.quality === 'good' && v.value !== first.value, {
        timeoutMs: 5000,
        what: 'the counter to move',
      });
      const capture = await client.request('capture.snapshot', { limit: 20 });
      const tx = capture.frames.find((f) => f.direction === 'tx' && f.device === 'Meter');
      const rx = capture.frames.find((f) => f.direction === 'rx' && f.device === 'Meter');
      assert.ok(tx && rx, 'request and reply frames in the capture ring');
      assert.equal(tx.link, `${framing}://${pty.a}`);
      assert.equal(tx.unitId, 1);
      if (framing === 'ascii') assert.match(Buffer.from(tx.hex, 'hex').toString('ascii'), /^:01[0-9A-F]+\r\n$/);
      else assert.equal(tx.hex.slice(0, 4), '0103');
    });
  }

  it('keeps polling the live unit on a bus where another unit never answers, and names the dead one', async () => {
    const pty = await startPtyPair();
    await startSerialSimulator('rtu', pty.b, 19200, '1');
    const transport = { kind: 'rtu' as const, path: pty.a, baudRate: 19200 };
    client = await gatewayWith({
      devices: [
        { name: 'Live', unitId: 1, pollMs: 100, timeoutMs: 300, retries: 0, transport, tags },
        { name: 'Dead', unitId: 2, pollMs: 100, timeoutMs: 300, retries: 0, transport, tags },
      ],
    });
    const dead = await client.waitForTagValue('Dead', 'counter', (v) => v.quality !== 'good' && v.error !== undefined, {
      timeoutMs: 10_000,
      what: "the dead unit's error",
    });
    assert.match(dead.error!, /Dead: no reply from unit 2 to read holding registers 0(–\d+)? within 300 ms/);
    // The live unit keeps updating while the dead one keeps timing out.
    const mark = client.mark();
    const first = await client.waitForTagValue('Live', 'counter', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'live', after: mark });
    await client.waitForTagValue('Live', 'counter', (v) => v.quality === 'good' && v.value !== first.value, {
      timeoutMs: 5000,
      what: 'the live counter to move',
      after: mark,
    });
    const { devices } = await client.request('devices.snapshot', {});
    // Both stay on the bus: a silent unit is not a lost link, but it shows as not answering.
    assert.deepEqual(devices.map((d) => d.status.state), ['connected', 'notAnswering']);
    assert.equal(devices[1].status.lastError, 'no reply from unit 2 within 300 ms');
    const deadCounter = devices[1].tags.find((t) => t.name === 'counter')!.value!;
    assert.notEqual(deadCounter.quality, 'good');
    assert.match(deadCounter.error ?? '', /unit 2/);
  });

  it('speaks RTU over TCP through a serial-to-Ethernet converter (socat TCP-LISTEN to a pty)', async () => {
    const pty = await startPtyPair();
    await startSerialSimulator('rtu', pty.b, 115200, '1');
    // The "converter": a TCP port whose bytes go to the gateway's end of the pty pair.
    const port = 20000 + Math.floor(Math.random() * 20000);
    start('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `FILE:${pty.a},raw,echo=0`]);
    client = await gatewayWith({
      devices: [{ name: 'Converter', unitId: 1, pollMs: 100, transport: { kind: 'rtutcp', host: '127.0.0.1', port }, tags }],
    });
    const pi = await client.waitForTagValue('Converter', 'pi', (v) => v.quality === 'good', { timeoutMs: 10_000, what: 'π over RTU/TCP' });
    assert.equal(pi.value, 3.1415927);
    const { devices } = await client.request('devices.snapshot', {});
    assert.equal(devices[0].endpoint, `rtutcp://127.0.0.1:${port} #1`);
  });
});

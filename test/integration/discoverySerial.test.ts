/**
 * discovery.scan over serial lines: RTU and ASCII on socat pseudo-terminal pairs
 * against `simulate --rtu/--ascii PATH --units 2,5`, and RTU over TCP through socat
 * bridging a TCP port to a pty (what a serial-to-Ethernet converter does). Exactly
 * the unit ids the simulator serves are found; a scan shares the bus with a device
 * already polling on the same port; a cancelled scan stops early with what it found.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { OperationMethods } from '../../gateway/api/operations';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll } from './helpers/childProcess';
import { freePort } from './helpers/ports';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';

async function startSerialSimulator(framing: 'rtu' | 'ascii', device: string, units: string): Promise<void> {
  const child = start(process.execPath, [GATEWAY_JS, 'simulate', `--${framing}`, device, '--baud', '115200', '--units', units]);
  await child.waitForStdout(/serving/);
}

async function gateway(config?: BifrostConfigInput): Promise<TestChannelClient> {
  const args: string[] = [];
  if (config) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-discovery-')), 'bifrost.json');
    fs.writeFileSync(file, JSON.stringify(config));
    args.push('--config', file);
  }
  const started = await startGateway(args);
  return TestChannelClient.connect(started.ready.port, started.ready.token);
}

function foundIds(client: TestChannelClient): number[] {
  return client.events.filter((event) => event.event === 'discovery.found').map((event) => (event.data as { unitId: number }).unitId);
}

describe('discovery over serial lines (socat pseudo-terminals)', function () {
  this.timeout(60_000);
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

  for (const framing of ['rtu', 'ascii'] as const) {
    it(`finds exactly units 2 and 5 on an ${framing.toUpperCase()} line, with their identification`, async () => {
      const pty = await startPtyPair();
      await startSerialSimulator(framing, pty.b, '2,5');
      client = await gateway();
      const { found } = await client.request(
        'discovery.scan',
        { transport: { kind: framing, path: pty.a, baudRate: 115200 }, unitIds: { from: 1, to: 6 }, timeoutMs: 300 }
      );
      assert.deepEqual(
        found.map((unit) => unit.unitId),
        [2, 5],
      );
      assert.ok(found[0].answers.includes('answers FC 3'), found[0].answers.join(', '));
      assert.ok(found[0].identification?.vendorName, 'the simulator answers 43/14 with a vendor name');
      assert.deepEqual(foundIds(client), [2, 5]);
      const progress = client.events.filter((event) => event.event === 'discovery.progress');
      assert.equal(progress.length, 6);
      const capture = await client.request('capture.snapshot', { limit: 500 });
      assert.ok(
        capture.frames.some((frame) => frame.device === 'discovery' && frame.link === `${framing}://${pty.a}`),
        'the probes are in the capture ring, on the serial link',
      );
    });
  }

  it('finds units 2 and 5 through RTU over TCP (socat bridging a TCP port to the line)', async () => {
    const pty = await startPtyPair();
    await startSerialSimulator('rtu', pty.b, '2,5');
    const port = await freePort();
    start('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`, `FILE:${pty.a},raw,echo=0`]);
    client = await gateway();
    // socat needs a moment to listen; a refused connect is retried until it does.
    let found: { unitId: number }[] | undefined;
    const deadline = Date.now() + 10_000;
    while (!found) {
      const reply = await client.raw('discovery.scan', {
        transport: { kind: 'rtutcp', host: '127.0.0.1', port },
        unitIds: { from: 1, to: 6 },
        timeoutMs: 300,
      });
      if (reply.ok) found = (reply.result as { found: { unitId: number }[] }).found;
      else if (!/ECONNREFUSED/.test(reply.error.message) || Date.now() > deadline) assert.fail(reply.error.message);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      found.map((unit) => unit.unitId),
      [2, 5],
    );
  });

  it('shares the bus with a device polling on the same port: both keep being answered', async () => {
    const pty = await startPtyPair();
    await startSerialSimulator('rtu', pty.b, '2,5');
    client = await gateway({
      devices: [
        {
          name: 'Meter',
          unitId: 2,
          pollMs: 50,
          transport: { kind: 'rtu', path: pty.a, baudRate: 115200 },
          tags: [{ name: 'counter', address: 'HR:0' }],
        },
      ],
    });
    await client.waitForTagValue('Meter', 'counter', (v) => v.quality === 'good', { timeoutMs: 10_000, what: 'Meter polling' });
    const { found } = await client.request(
      'discovery.scan',
      { transport: { kind: 'rtu', path: pty.a, baudRate: 115200 }, unitIds: { from: 1, to: 6 }, timeoutMs: 300 }
    );
    assert.deepEqual(
      found.map((unit) => unit.unitId),
      [2, 5],
    );
    const after = client.mark();
    await client.waitForTagValue('Meter', 'counter', (v) => v.quality === 'good', { after, timeoutMs: 10_000, what: 'Meter still polling' });
  });

  it('lists the machine\'s serial ports for the port picker (serial.ports answers in the contract\'s shape)', async () => {
    client = await gateway();
    const result = await client.request('serial.ports', {});
    const { ports } = OperationMethods['serial.ports'].result.parse(result);
    for (const port of ports) assert.match(port.path, /\S/);
  });

  it('stops a cancelled scan early and answers with what it found so far', async () => {
    const pty = await startPtyPair();
    await startSerialSimulator('rtu', pty.b, '2,5');
    client = await gateway();
    const scan = client.request(
      'discovery.scan',
      { transport: { kind: 'rtu', path: pty.a, baudRate: 115200 }, unitIds: { from: 1, to: 247 }, timeoutMs: 200 }
    );
    await client.waitForEvent('discovery.found', (unit) => unit.unitId === 5, { timeoutMs: 20_000, what: 'unit 5 found' });
    const { cancelled } = await client.request('discovery.cancel', {});
    assert.equal(cancelled, 1);
    const { found } = await scan;
    assert.deepEqual(
      found.map((unit) => unit.unitId),
      [2, 5],
    );
    const probed = client.events.filter((event) => event.event === 'discovery.progress').length;
    assert.ok(probed < 247, `the scan stopped early (${probed} of 247 probed)`);
  });
});

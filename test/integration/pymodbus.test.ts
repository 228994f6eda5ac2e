/**
 * The gateway polling a third-party server: pymodbus 3.0 with known values
 * (peers/pymodbus_server.py), configured through a bifrost.json on the command line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TagValue } from '../../gateway/api/channel';
import type { z } from 'zod';
import type { BifrostConfigInput, Tag } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, startPymodbus, stopAll, type Gateway, type Simulator } from './helpers/childProcess';
import { requireBuiltGateway, requirePymodbus } from './helpers/tools';
import { until } from './helpers/wait';

const SERVER_SCRIPT = path.join(__dirname, 'peers/pymodbus_server.py');

/** What each tag must decode to; the register layout is in pymodbus_server.py. */
const EXPECTED: { tag: z.input<typeof Tag>; value: number | boolean; raw?: number[] }[] = [
  { tag: { name: 'uint16', address: 'HR:0', type: 'uint16' }, value: 1234, raw: [1234] },
  { tag: { name: 'pi', address: 'HR:1', type: 'float32', order: 'ABCD' }, value: 3.1415927, raw: [16457, 4059] },
  { tag: { name: 'int16', address: 'HR:3', type: 'int16' }, value: -1234 },
  { tag: { name: 'uint32 CDAB', address: 'HR:4', type: 'uint32', order: 'CDAB' }, value: 123456789 },
  { tag: { name: 'int32', address: 'HR:6', type: 'int32' }, value: -2 },
  { tag: { name: 'scaled', address: '40009', type: 'int16', scale: 0.1, unit: '°C' }, value: 21.5 },
  { tag: { name: 'bit 0', address: 'HR:9.0', type: 'bool' }, value: true },
  { tag: { name: 'bit 1', address: 'HR:9.1', type: 'bool' }, value: false },
  { tag: { name: 'bit 2', address: 'HR:9.2', type: 'bool' }, value: true },
  { tag: { name: 'float DCBA', address: 'HR:10', type: 'float32', order: 'DCBA' }, value: -123.456 },
  { tag: { name: 'input', address: 'IR:0' }, value: 42 },
  { tag: { name: 'input float CDAB', address: '30002', type: 'float32', order: 'CDAB' }, value: 2.5 },
  { tag: { name: 'coil 0', address: 'CO:0', type: 'bool' }, value: true },
  { tag: { name: 'coil 1', address: '2', type: 'bool' }, value: false },
  { tag: { name: 'coil 2', address: 'CO:2', type: 'bool' }, value: true },
  { tag: { name: 'input bit 1', address: 'DI:1', type: 'bool' }, value: true },
];

describe('gateway polling pymodbus 3.0', function () {
  let server: Simulator;
  let gateway: Gateway;
  let client: TestChannelClient;
  let dir: string;

  before(async () => {
    requireBuiltGateway();
    requirePymodbus();
    server = await startPymodbus(SERVER_SCRIPT);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-pymodbus-'));
    const config: BifrostConfigInput = {
      version: 1,
      devices: [
        {
          name: 'pymodbus',
          transport: { kind: 'tcp', host: '127.0.0.1', port: server.port },
          unitId: 1,
          pollMs: 200,
          tags: EXPECTED.map((entry) => entry.tag),
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'bifrost.json'), JSON.stringify(config, null, 2));
    gateway = await startGateway(['--config', path.join(dir, 'bifrost.json')]);
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects and decodes every tag type, order, scale and table to the known values', async () => {
    // Values may have streamed before this client connected: read the snapshot until complete.
    let tags = new Map<string, TagValue | undefined>();
    await until(
      () => tags.size > 0 && [...tags.values()].every((value) => value?.quality === 'good'),
      10_000,
      'every tag to read good',
      async () => {
        const { devices } = await client.request('devices.snapshot', {});
        tags = new Map(devices[0].tags.map((tag) => [tag.name, tag.value]));
      },
    );
    const { devices } = await client.request('devices.snapshot', {});
    assert.equal(devices[0].status.state, 'connected');
    assert.equal(devices[0].endpoint, `tcp://127.0.0.1:${server.port} #1`);
    for (const entry of EXPECTED) {
      const value = tags.get(entry.tag.name);
      assert.equal(value?.quality, 'good', `${entry.tag.name}: ${value?.error}`);
      assert.equal(value?.value, entry.value, entry.tag.name);
      if (entry.raw) assert.deepEqual(value?.raw, entry.raw, `${entry.tag.name} raw`);
    }
  });
});

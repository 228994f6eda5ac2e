/**
 * The gateway polling a third-party server: pymodbus 3.0 with known values
 * (peers/pymodbus_server.py), configured through a bifrost.json on the command line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TagValue } from '../../gateway/api/channel';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, startPymodbus, stopAll, type Gateway, type Simulator } from './helpers/childProcess';
import { EXPECTED } from './helpers/pymodbusLayout';
import { requireBuiltGateway, requirePymodbus } from './helpers/tools';
import { until } from './helpers/wait';

const SERVER_SCRIPT = path.join(__dirname, 'peers/pymodbus_server.py');

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

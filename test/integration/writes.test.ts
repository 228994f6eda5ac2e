/**
 * Writes through the gateway's channel to the simulator (`bifrost-gateway simulate`),
 * each read back over the wire; refusals with their messages; and the read plan
 * (`device.plan`) of a 1,000-tag device.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, startSimulator, stopAll, type Gateway, type Simulator } from './helpers/childProcess';
import { requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

describe('tag writes and the read plan through the gateway', function () {
  let simulator: Simulator;
  let gateway: Gateway;
  let client: TestChannelClient;
  let dir: string;

  before(async () => {
    requireBuiltGateway();
    simulator = await startSimulator();
    const transport = { kind: 'tcp' as const, host: '127.0.0.1', port: simulator.port };
    const config: BifrostConfigInput = {
      version: 1,
      devices: [
        {
          name: 'Sim',
          transport,
          pollMs: 200,
          tags: [
            { name: 'u16', address: 'HR:500', type: 'uint16' },
            { name: 'scaled', address: 'HR:501', type: 'int16', scale: 0.1 },
            { name: 'f32', address: 'HR:502', type: 'float32', order: 'CDAB' },
            { name: 'bit3', address: 'HR:504.3', type: 'bool' },
            { name: 'bit0', address: 'HR:504.0', type: 'bool' },
            { name: 'u64', address: 'HR:506', type: 'uint64' },
            { name: 'text', address: 'HR:510', type: 'string', length: 4 },
            { name: 'bcd', address: 'HR:514', type: 'bcd16' },
            { name: 'coil', address: 'CO:500', type: 'bool' },
            { name: 'input', address: 'IR:0', type: 'int16' },
          ],
        },
        { name: 'Locked', transport, readOnly: true, tags: [{ name: 'u16', address: 'HR:500' }] },
        {
          name: 'Big',
          transport,
          enabled: false,
          tags: Array.from({ length: 1000 }, (_, index) => ({ name: `t${index}`, address: `HR:${index}` })),
        },
      ],
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-writes-'));
    fs.writeFileSync(path.join(dir, 'bifrost.json'), JSON.stringify(config));
    gateway = await startGateway(['--config', path.join(dir, 'bifrost.json')]);
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    let state: string | undefined;
    await until(() => state === 'connected', 10_000, 'Sim to connect', async () => {
      state = (await client.request('devices.snapshot', {})).devices.find((d) => d.name === 'Sim')?.status.state;
    });
  });
  after(async () => {
    client?.close();
    await stopAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (tag: string, value: number | boolean | string, device = 'Sim') => client.request('tag.write', { device, tag, value });

  it('FC 6 with scale, read back', async () => {
    const result = await write('scaled', 21.5);
    assert.equal(result.function, 6);
    assert.equal(result.frame, '0601f500d7');
    assert.equal(result.readBack.value, 21.5);
    assert.deepEqual(result.readBack.raw, [215]);
  });

  it('FC 16 for float32 CDAB, uint64 2^64−1 and a string; read back exactly', async () => {
    const f32 = await write('f32', 3.1415927);
    assert.equal(f32.function, 16);
    assert.equal(f32.frame, '1001f60002040fdb4049');
    assert.equal(f32.readBack.value, 3.1415927);
    const u64 = await write('u64', '18446744073709551615');
    assert.equal(u64.readBack.text, '18446744073709551615');
    const text = await write('text', 'Bifrost');
    assert.equal(text.readBack.text, 'Bifrost');
    assert.equal((await write('bcd', 1234)).readBack.value, 1234);
  });

  it('FC 22 sets one bit of a register and leaves its neighbours', async () => {
    await write('bit0', true);
    const result = await write('bit3', true);
    assert.equal(result.function, 22);
    assert.equal(result.readBack.value, true);
    const u16 = await client.request('tag.encodeWrite', { device: 'Sim', tag: 'bit3', value: false });
    assert.equal(u16.frame, '1601f8fff70000', 'the preview is the exact request, not sent');
    // The poller reads the register again: bit 0 (written first) survived the mask write of bit 3.
    let bits: unknown[] = [];
    await until(() => bits[0] === true && bits[1] === true, 5000, 'both bits to read set', async () => {
      const tags = (await client.request('devices.snapshot', {})).devices.find((d) => d.name === 'Sim')?.tags ?? [];
      bits = ['bit0', 'bit3'].map((name) => tags.find((t) => t.name === name)?.value?.value);
    });
  });

  it('FC 5 for a coil', async () => {
    const result = await write('coil', true);
    assert.equal(result.frame, '0501f4ff00');
    assert.equal(result.readBack.value, true);
  });

  it('refuses out-of-range values, input tables and read-only devices, naming device, tag, address and expectation', async () => {
    const range = await client.raw('tag.write', { device: 'Sim', tag: 'u16', value: 70000 });
    assert.ok(!range.ok);
    assert.equal(range.error.code, 'invalid_params');
    assert.match(range.error.message, /^Sim: cannot write tag "u16" at HR:500: 70000 does not fit uint16 \(an integer 0–65535\)$/);
    const input = await client.raw('tag.write', { device: 'Sim', tag: 'input', value: 1 });
    assert.ok(!input.ok);
    assert.match(input.error.message, /IR:0: an input register is read-only/);
    const locked = await client.raw('tag.write', { device: 'Locked', tag: 'u16', value: 1 });
    assert.ok(!locked.ok);
    assert.match(locked.error.message, /Locked: cannot write tag "u16" at HR:500: the device is read-only/);
  });

  it('device.plan: 1,000 adjacent tags in 8 requests (125 registers each)', async () => {
    const plan = await client.request('device.plan', { device: 'Big' });
    assert.equal(plan.requestsPerScan, 8);
    assert.equal(plan.requests.reduce((sum, request) => sum + request.tags.length, 0), 1000);
    assert.deepEqual(plan.requests[0], { function: 3, start: 0, quantity: 125, tags: plan.requests[0].tags, scanMs: 1000 });
    const snapshot = await client.request('devices.snapshot', {});
    assert.equal(snapshot.devices.find((d) => d.name === 'Big')?.requestsPerScan, 8);
  });
});

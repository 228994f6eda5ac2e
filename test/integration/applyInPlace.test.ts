/**
 * Saving bifrost.json must not reconnect what did not change: a device that allows
 * one connection would lock the engineer out in between. A pymodbus 3.0 server
 * counts the connections it accepts while tag edits are applied over the channel.
 */
import assert from 'node:assert/strict';
import type { DeviceInput } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, startPymodbus, stopAll, type Gateway, type Simulator } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { REPO_ROOT, requirePymodbus } from './helpers/tools';
import { until } from './helpers/wait';

describe('applying a changed config changes only what changed', function () {
  let gateway: Gateway;
  let client: TestChannelClient;
  let pymodbus: Simulator;
  let proxyClient: MbapClient | undefined;
  const connections = () => pymodbus.stdout.filter((line) => line.startsWith('connection from ')).length;

  const device = (name: string, extra: Partial<DeviceInput>): DeviceInput => ({
    name,
    transport: { kind: 'tcp', host: '127.0.0.1', port: pymodbus.port },
    pollMs: 100,
    tags: [{ name: 'u16', address: 'HR:0', type: 'uint16' }],
    ...extra,
  });
  const apply = (devices: DeviceInput[], proxyDevice = 'Py') =>
    client.request('config.apply', {
      config: { version: 1, devices, proxies: [{ name: 'Front', listen: { port: 0 }, device: proxyDevice, autoStart: true }] },
      source: 'apply test',
    });

  before(async () => {
    requirePymodbus();
    pymodbus = await startPymodbus(`${REPO_ROOT}/test/integration/peers/pymodbus_server.py`);
    gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    proxyClient?.close();
    client?.close();
    await stopAll();
  });

  it('keeps ONE connection to the device across ten tag edits, re-planning the scan each time', async () => {
    await apply([device('Py', {})]);
    await client.waitForTagValue('Py', 'u16', (v) => v.quality === 'good' && v.value === 1234, { timeoutMs: 10_000, what: 'the first reading' });
    assert.equal(connections(), 1);
    const front = (await client.request('proxy.list', {})).proxies.find((p) => p.name === 'Front')!;
    proxyClient = await MbapClient.connect(front.listen.port);
    assert.deepEqual((await proxyClient.request(1, readHolding(0, 1))).pdu, Buffer.from([3, 2, 0x04, 0xd2]));

    const mark = client.mark();
    const scalings = [1, 0.1, 2, 0.5, 10, 0.01, 3, 4, 5, 0.25];
    for (const [edit, scale] of scalings.entries()) {
      const tags = [
        { name: 'u16', address: 'HR:0', type: 'uint16' as const },
        { name: `scaled${edit}`, address: 'HR:8', type: 'int16' as const, scale },
      ];
      const { devices } = await apply([device('Py', { tags, pollMs: edit % 2 === 0 ? 100 : 150 })]);
      // The unchanged tag keeps its reading across the re-plan: no blank between apply and the next scan.
      assert.equal(devices[0].tags.find((t) => t.name === 'u16')?.value?.value, 1234, `edit ${edit + 1}`);
      const reading = await client.waitForTagValue('Py', `scaled${edit}`, (v) => v.quality === 'good', {
        timeoutMs: 5000,
        what: `the tag added by edit ${edit + 1}`,
      });
      assert.ok(Math.abs((reading.value as number) - 215 * scale) < 1e-9, `edit ${edit + 1}: ${reading.value} = 215 × ${scale}`);
    }
    assert.equal(connections(), 1, `pymodbus accepted ${connections()} connections:\n${pymodbus.stdout.join('\n')}`);
    const notConnected = client.events
      .slice(mark)
      .filter((e) => e.event === 'device.status' && (e.data as { state: string }).state !== 'connected');
    assert.deepEqual(notConnected, [], 'the device never left connected');
    // The proxy was left running: its client is still connected and served.
    assert.deepEqual((await proxyClient.request(1, readHolding(0, 1))).pdu, Buffer.from([3, 2, 0x04, 0xd2]));
  });

  it('reconnects only the device whose connection settings changed', async () => {
    const tags = [{ name: 'u16', address: 'HR:0', type: 'uint16' as const }];
    await apply([device('Py', { tags }), device('Other', { tags })]);
    await client.waitForTagValue('Other', 'u16', (v) => v.quality === 'good', { timeoutMs: 10_000, what: 'the second device' });
    await until(() => connections() === 2, 5000, 'the second device to connect');
    const mark = client.mark();
    await apply([device('Py', { tags }), device('Other', { tags, timeoutMs: 700 })]);
    await until(() => connections() === 3, 5000, 'Other to reconnect');
    await client.waitForTagValue('Other', 'u16', (v) => v.quality === 'good', { timeoutMs: 10_000, what: 'Other read again', after: mark });
    const pyStates = client.events.slice(mark).filter((e) => e.event === 'device.status' && (e.data as { device: string }).device === 'Py');
    assert.deepEqual(pyStates, [], 'Py was not touched');
    assert.deepEqual((await proxyClient!.request(1, readHolding(0, 1))).pdu, Buffer.from([3, 2, 0x04, 0xd2]), 'nor its proxy');
  });
});

/**
 * discovery.scan through the gateway's channel against a pymodbus 3.0 server that
 * answers unit ids 1 and 3 only (peers/pymodbus_units.py): exactly those are found,
 * with their identification (43/14), and progress is reported for every id.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, startPymodbus, stopAll, type Gateway, type Simulator } from './helpers/childProcess';
import { requireBuiltGateway, requirePymodbus } from './helpers/tools';

describe('discovery over Modbus TCP', function () {
  let server: Simulator;
  let gateway: Gateway;
  let client: TestChannelClient;

  before(async () => {
    requireBuiltGateway();
    requirePymodbus();
    server = await startPymodbus(path.join(__dirname, 'peers/pymodbus_units.py'));
    gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  it('finds exactly the unit ids that answer, with identification, and reports progress for each id', async () => {
    const { found } = await client.request('discovery.scan', {
      transport: { kind: 'tcp', host: '127.0.0.1', port: server.port },
      unitIds: { from: 1, to: 6 },
      timeoutMs: 500,
    });
    assert.deepEqual(found.map((unit) => unit.unitId), [1, 3]);
    assert.equal(found[0].identification?.vendorName, 'Bifrost Test');
    assert.equal(found[0].identification?.productCode, 'BT-3');
    assert.ok(found[0].answers.includes('answers FC 3'));
    const progress = client.events.filter((event) => event.event === 'discovery.progress').map((event) => (event.data as { unitId: number }).unitId);
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);
    const events = client.events.filter((event) => event.event === 'discovery.found').map((event) => (event.data as { unitId: number }).unitId);
    assert.deepEqual(events, [1, 3]);
  });

  it('fails a scan on a serial port that does not exist with an error naming the port, instead of hanging', async () => {
    const reply = await client.raw('discovery.scan', {
      transport: { kind: 'rtu', path: '/dev/bifrost-no-such-port' },
      unitIds: { from: 1, to: 2 },
    });
    assert.ok(!reply.ok);
    assert.match(reply.error.message, /discovery failed: .*\/dev\/bifrost-no-such-port/);
  });
});

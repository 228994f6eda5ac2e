/**
 * Devices that come and go: the gateway must keep trying a device that is down,
 * notice one that vanishes, mark its values stale, and recover by itself.
 */
import assert from 'node:assert/strict';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, startSimulator, stopAll, type Gateway, type Simulator } from './helpers/childProcess';
import { freePort } from './helpers/ports';
import { requireBuiltGateway } from './helpers/tools';
import { within } from './helpers/wait';

describe('reconnecting devices', function () {
  let gateway: Gateway;
  let client: TestChannelClient;
  let port: number;
  let simulator: Simulator | undefined;

  before(async () => {
    requireBuiltGateway();
    gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    port = await freePort();
    await client.request('config.apply', {
      config: {
        version: 1,
        devices: [
          {
            name: 'Flaky',
            transport: { kind: 'tcp', host: '127.0.0.1', port },
            pollMs: 100,
            timeoutMs: 500,
            tags: [
              { name: 'counter', address: 'HR:0' },
              { name: 'pi', address: 'HR:10', type: 'float32' },
            ],
          },
        ],
      },
      source: 'reconnect test',
    });
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  it('keeps retrying a device that is down, with the reason and the next retry', async () => {
    const status = await client.waitForEvent('device.status', (s) => s.device === 'Flaky' && s.state === 'error', {
      timeoutMs: 5000,
      what: 'an error status',
    });
    assert.match(status.lastError ?? '', new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));
    assert.equal(typeof status.retryInMs, 'number');
    assert.ok(status.retryInMs! >= 200 && status.retryInMs! <= 10_000, `retry in ${status.retryInMs} ms`);
  });

  it('connects once the device comes up, and reads it', async () => {
    const mark = client.mark();
    simulator = await startSimulator(port);
    await client.waitForEvent('device.status', (s) => s.device === 'Flaky' && s.state === 'connected', {
      timeoutMs: 15_000,
      what: 'the device to connect',
      after: mark,
    });
    const pi = await client.waitForTagValue('Flaky', 'pi', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'π', after: mark });
    assert.equal(pi.value, 3.1415927);
  });

  it('marks values stale when the device vanishes, and recovers when it returns', async () => {
    let mark = client.mark();
    simulator!.process.kill('SIGKILL');
    await within(simulator!.exited, 5000, 'the simulator to die');
    const lost = await client.waitForEvent('device.status', (s) => s.device === 'Flaky' && s.state === 'error', {
      timeoutMs: 5000,
      what: 'the loss to be noticed',
      after: mark,
    });
    assert.match(lost.lastError ?? '', /connection lost|connection closed|reset/);
    const stale = await client.waitForTagValue('Flaky', 'pi', (v) => v.quality === 'stale', {
      timeoutMs: 5000,
      what: 'a stale value',
      after: mark,
    });
    assert.equal(stale.value, 3.1415927, 'stale keeps the last value');
    assert.ok(stale.error, 'stale says why');

    mark = client.mark();
    simulator = await startSimulator(port);
    await client.waitForEvent('device.status', (s) => s.device === 'Flaky' && s.state === 'connected', {
      timeoutMs: 15_000,
      what: 'the device to reconnect',
      after: mark,
    });
    await client.waitForTagValue('Flaky', 'pi', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'good values again', after: mark });
    const { devices } = await client.request('devices.snapshot', {});
    assert.equal(devices[0].status.state, 'connected');
    assert.match(devices[0].status.lastError ?? '', /connection lost|cannot connect/, 'the last error is kept for the tooltip');
  });
});

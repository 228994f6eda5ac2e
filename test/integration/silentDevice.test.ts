/**
 * A device that accepts the connection and never answers: it must not look
 * connected. Runs the shipped (minified) gateway, where a timeout once went
 * unrecognised because it was identified by its class name.
 */
import assert from 'node:assert/strict';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, stopAll, type Gateway } from './helpers/childProcess';
import { SilentServer } from './helpers/silentServer';
import { within } from './helpers/wait';

describe('a device that accepts and never answers (shipped bundle)', function () {
  let gateway: Gateway;
  let client: TestChannelClient;
  let device: SilentServer;
  const timeoutMs = 300;

  before(async () => {
    device = await SilentServer.listen();
    gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    await client.request('capture.clear', {});
    await client.request('config.apply', {
      config: {
        version: 1,
        devices: [
          {
            name: 'Silent',
            transport: { kind: 'tcp', host: '127.0.0.1', port: device.port },
            pollMs: 100,
            timeoutMs,
            retries: 0,
            reconnectAfterTimeouts: 3,
            tags: [{ name: 'level', address: 'HR:0' }],
          },
        ],
      },
      source: 'silent device test',
    });
  });
  after(async () => {
    client?.close();
    await stopAll();
    await device?.close();
  });

  it('goes to notAnswering on the first unanswered request, saying so in plain words', async () => {
    await client.waitForEvent('device.status', (s) => s.device === 'Silent' && s.state === 'connected', { timeoutMs: 5000, what: 'a connection' });
    const status = await client.waitForEvent('device.status', (s) => s.device === 'Silent' && s.state === 'notAnswering', {
      timeoutMs: 5000,
      what: 'notAnswering',
    });
    assert.equal(status.lastError, `no reply from unit 1 within ${timeoutMs} ms`);
    const logged = await client.waitForEvent('log', (l) => l.device === 'Silent' && /connected → notAnswering/.test(l.message), {
      timeoutMs: 2000,
      what: 'the state change in the log',
    });
    assert.equal(logged.level, 'info');
    assert.match(logged.message, /no reply from unit 1 within 300 ms/);
  });

  it('replaces the connection after 3 timeouts in a row', async () => {
    await within(device.connectionCount(2), 10_000, 'a second connection from the gateway');
    const firstConnectionRequests = device.requests;
    assert.ok(firstConnectionRequests >= 3, `${firstConnectionRequests} requests went unanswered before the reconnect`);
    await client.waitForEvent('log', (l) => l.device === 'Silent' && /no reply to 3 requests in a row; reconnecting/.test(l.message), {
      timeoutMs: 2000,
      what: 'the reconnect in the log',
    });
  });

  it('marks every unanswered request in the capture, and leaves the markers out of a pcap', async () => {
    const { frames } = await client.request('capture.snapshot', {});
    const silent = frames.filter((f) => f.device === 'Silent');
    const markers = silent.filter((f) => f.direction === 'rx');
    assert.ok(markers.length >= 3, `${markers.length} no-reply markers`);
    for (const marker of markers) {
      assert.equal(marker.hex, '');
      assert.equal(marker.note, `no reply within ${timeoutMs} ms`);
      assert.equal(marker.unitId, 1);
      assert.match(marker.link, /^tcp:\/\/127\.0\.0\.1:/);
    }
    const pcap = await client.request('capture.exportPcap', { device: 'Silent' });
    assert.equal(pcap.frames, silent.length - markers.length, 'only the requests go into the pcap');
    const replay = await client.raw('capture.replay', { frameId: markers[0].id });
    assert.equal(replay.ok, false);
    assert.match(!replay.ok ? replay.error.message : '', /got no reply: there are no bytes to send/);
  });

  it('is connected again on the first reply', async () => {
    const mark = client.mark();
    device.answering = true;
    const back = await client.waitForEvent('device.status', (s) => s.device === 'Silent' && s.state === 'connected', {
      timeoutMs: 10_000,
      what: 'connected again',
      after: mark,
    });
    assert.equal(back.device, 'Silent');
    const level = await client.waitForTagValue('Silent', 'level', (v) => v.quality === 'good', { timeoutMs: 5000, what: 'a good reading', after: mark });
    assert.equal(level.value, 0);
  });
});

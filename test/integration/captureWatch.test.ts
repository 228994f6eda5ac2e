/**
 * Captured frames cross the channel only to connections that asked (capture.watch):
 * the gateway captures every frame always, but streaming thousands a second to an
 * extension host with no Frame Debugger open is work nobody uses.
 */
import assert from 'node:assert/strict';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, stopAll } from './helpers/childProcess';
import { requireBuiltGateway } from './helpers/tools';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frameEvents = (client: TestChannelClient, after = 0) => client.events.slice(after).filter((e) => e.event === 'frames').length;

describe('capture.watch: live frames only to connections that ask', function () {
  this.timeout(30_000);
  const clients: TestChannelClient[] = [];

  after(async () => {
    for (const client of clients) client.close();
    await stopAll();
  });

  it('sends frames to a watching connection only, stops when it unwatches or goes away', async () => {
    requireBuiltGateway();
    const gateway = await startGateway();
    const watcher = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    const bystander = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    clients.push(watcher, bystander);
    await watcher.request('config.apply', { config: null, source: 'capture.watch test' });

    // The demo polls and the ring fills, but nobody asked for frames.
    await watcher.waitForEvent('tag.values', () => true, { timeoutMs: 10_000, what: 'the demo polling' });
    await sleep(600);
    assert.ok((await watcher.request('capture.snapshot', {})).frames.length > 0, 'the ring captures regardless');
    assert.equal(frameEvents(watcher) + frameEvents(bystander), 0, 'no frames event before capture.watch');

    assert.deepEqual(await watcher.request('capture.watch', { live: true }), { watchers: 1 });
    assert.deepEqual(await watcher.request('capture.watch', { live: true }), { watchers: 1 }, 'asking twice counts once');
    const live = await watcher.waitForEvent('frames', (data) => data.frames.length > 0, { timeoutMs: 10_000, what: 'live frames' });
    assert.ok(live.frames.every((frame) => typeof frame.hex === 'string' && frame.id > 0));
    assert.equal(frameEvents(bystander), 0, 'a connection that did not ask gets none');

    assert.deepEqual(await watcher.request('capture.watch', { live: false }), { watchers: 0 });
    await sleep(200); // a batch already on its way may still land
    const mark = watcher.mark();
    await sleep(600);
    assert.equal(frameEvents(watcher, mark), 0, 'no frames after capture.watch false');

    // A watching connection that closes stops counting.
    await bystander.request('capture.watch', { live: true });
    bystander.close();
    await sleep(200);
    assert.deepEqual(await watcher.request('capture.watch', { live: true }), { watchers: 1 }, 'the closed connection no longer watches');
  });
});

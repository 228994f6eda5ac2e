import assert from 'node:assert/strict';
import type { TagValue } from '../../../gateway/api/channel';
import { Tag } from '../../../gateway/api/config';
import { silentLogger } from '../../../gateway/engine/logger';
import type { ReadBlock } from '../../../gateway/engine/planner';
import { DevicePoller } from '../../../gateway/engine/poller';
import { ModbusExceptionError, TimeoutError } from '../../../gateway/protocol/errors';
import { resolveTag, type ResolvedTag } from '../../../gateway/tags/resolve';
import { until } from '../helpers/scriptedServer';

function tags(...inputs: Record<string, unknown>[]): ResolvedTag[] {
  return inputs.map((input) => {
    const result = resolveTag(Tag.parse(input));
    if (!result.ok) throw new Error(result.error);
    return result.tag;
  });
}

describe('device poller', () => {
  let poller: DevicePoller | undefined;
  afterEach(() => poller?.stop('test over'));

  function makePoller(resolved: ResolvedTag[], read: (block: ReadBlock) => Promise<number[] | boolean[]>, pollMs = 20) {
    const reads: ReadBlock[] = [];
    const batches: TagValue[][] = [];
    const ticks: Array<{ scanMs: number; at: number }> = [];
    poller = new DevicePoller({
      device: 'Dev',
      pollMs,
      tags: resolved,
      reader: { read: (block) => (reads.push({ ...block }), read(block)) },
      onValues: (values) => batches.push(values),
      onRead: (scanMs, at) => ticks.push({ scanMs, at }),
      logger: silentLogger,
    });
    return { poller, reads, batches, ticks };
  }

  it('reads adjacent tags in one request and decodes each', async () => {
    const made = makePoller(
      tags({ name: 'n', address: 'HR:0' }, { name: 'pi', address: 'HR:1', type: 'float32' }, { name: 'neg', address: 'HR:3', type: 'int16' }),
      async () => [7, 0x4049, 0x0fdb, 0xfb2e],
    );
    made.poller.start();
    await until(() => made.batches.length > 0);
    assert.equal(made.reads.length, 1);
    assert.deepEqual(
      made.batches[0].map((v) => [v.tag, v.value, v.quality]),
      [['n', 7, 'good'], ['pi', 3.1415927, 'good'], ['neg', -1234, 'good']],
    );
  });

  it('reports only readings that changed', async () => {
    let counter = 0;
    const made = makePoller(tags({ name: 'fixed', address: 'HR:0' }, { name: 'moving', address: 'HR:1' }), async () => [5, counter++]);
    made.poller.start();
    await until(() => made.batches.length >= 3);
    assert.deepEqual(made.batches[0].map((v) => v.tag), ['fixed', 'moving']);
    assert.deepEqual(made.batches[1].map((v) => v.tag), ['moving']);
    assert.deepEqual(made.batches[2].map((v) => v.tag), ['moving']);
  });

  it('marks the tags of a failed block bad, with the error text', async () => {
    const error = new TimeoutError({ device: 'Dev', unitId: 1, functionCode: 3, address: 0, quantity: 1 }, 1000);
    const made = makePoller(tags({ name: 'a', address: 'HR:0' }), async () => Promise.reject(error));
    made.poller.start();
    await until(() => made.batches.length > 0);
    const ts = made.batches[0][0].ts;
    assert.deepEqual(made.batches[0][0], { device: 'Dev', tag: 'a', ts, changedAt: ts, value: null, quality: 'bad', error: error.message });
  });

  it('tells each completed scan without resending values that did not change', async () => {
    const made = makePoller(tags({ name: 'fixed', address: 'HR:0' }), async () => [5]);
    made.poller.start();
    await until(() => made.ticks.length >= 3);
    assert.equal(made.batches.length, 1, 'the unchanged value is sent once');
    assert.ok(made.ticks.every((tick) => tick.scanMs === 20));
    const first = made.batches[0][0];
    const stored = made.poller.value('fixed')!;
    assert.equal(stored.changedAt, first.ts, 'changedAt stays at the first read');
    assert.ok(stored.ts > first.ts, 'ts moves on with every read');
    assert.ok(made.ticks.at(-1)!.at >= stored.ts);
  });

  it('gives stale values the present reason when the trouble changes', async () => {
    const made = makePoller(tags({ name: 'a', address: 'HR:0' }), async () => [3]);
    made.poller.start();
    await until(() => made.batches.length > 0);
    made.poller.stop('connection refused');
    made.poller.stop('no reply from unit 1 within 1000 ms');
    const last = made.batches.at(-1)![0];
    assert.deepEqual([last.value, last.quality, last.error], [3, 'stale', 'no reply from unit 1 within 1000 ms']);
    assert.equal(last.ts, made.batches[0][0].ts, 'going stale is not a read');
  });

  it('turns good values stale, keeping the value, when stopped', async () => {
    const made = makePoller(tags({ name: 'a', address: 'HR:0' }), async () => [3]);
    made.poller.start();
    await until(() => made.batches.length > 0);
    made.poller.stop('connection lost: reset');
    const stale = made.batches.at(-1)![0];
    assert.deepEqual([stale.value, stale.quality, stale.error], [3, 'stale', 'connection lost: reset']);
    assert.equal(made.poller.value('a')?.quality, 'stale');
  });

  it('falls back to one read per tag when a merged block hits a missing address', async () => {
    const made = makePoller(tags({ name: 'a', address: 'HR:0' }, { name: 'b', address: 'HR:5' }), async (block) => {
      if (block.quantity > 1) throw new ModbusExceptionError({ functionCode: 3, address: block.start, quantity: block.quantity }, 2);
      return [block.start + 100];
    });
    made.poller.start();
    await until(() => made.batches.length >= 2);
    assert.deepEqual(made.reads.slice(0, 3).map((b) => [b.start, b.quantity]), [[0, 6], [0, 1], [5, 1]]);
    assert.deepEqual(made.batches.flat().slice(0, 2).map((v) => [v.tag, v.value]), [['a', 100], ['b', 105]]);
    assert.equal(made.poller.requestsPerScan, 2);
  });

  it('scans at once on refresh instead of waiting for the next tick', async () => {
    const made = makePoller(tags({ name: 'a', address: 'HR:0' }), async () => [1], 60_000);
    made.poller.start();
    await until(() => made.reads.length === 1);
    made.poller.refresh();
    await until(() => made.reads.length === 2, 500, 'the refresh scan');
  });

  it('reports tags whose address cannot be read as bad from the start', () => {
    poller = new DevicePoller({
      device: 'Dev',
      pollMs: 1000,
      tags: [],
      invalidTags: [{ name: 'edge', error: 'uint32 at HR:65535 needs 2 registers and runs past 65535' }],
      reader: { read: async () => [] },
      onValues: () => {},
      logger: silentLogger,
    });
    assert.equal(poller.value('edge')?.quality, 'bad');
  });
});

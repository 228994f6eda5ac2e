import assert from 'node:assert/strict';
import type { TagReadTick, TagValue } from '../../../gateway/api/channel';
import { TagValueBatcher } from '../../../gateway/api/tagValueBatcher';
import { createToken, tokenMatches } from '../../../gateway/channel/token';

const value = (tag: string, n: number): TagValue => ({ device: 'D', tag, value: n, quality: 'good', ts: n });

describe('tag value batcher', () => {
  it('delivers after the interval, once, with the latest reading per tag', async () => {
    const batches: TagValue[][] = [];
    const batcher = new TagValueBatcher((values) => batches.push(values), { intervalMs: 20, maxValues: 500 });
    batcher.push([value('a', 1), value('b', 1)]);
    batcher.push([value('a', 2)]);
    assert.equal(batches.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(batches, [[value('b', 1), value('a', 2)]]);
  });

  it('sends the latest read tick of each device and scan period with the values', async () => {
    const batches: Array<{ values: TagValue[]; reads: TagReadTick[] }> = [];
    const batcher = new TagValueBatcher((values, reads) => batches.push({ values, reads }), { intervalMs: 20, maxValues: 500 });
    batcher.pushRead({ device: 'D', scanMs: 1000, at: 1 });
    batcher.pushRead({ device: 'D', scanMs: 1000, at: 2 });
    batcher.pushRead({ device: 'D', scanMs: 5000, at: 2 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(batches, [
      {
        values: [],
        reads: [
          { device: 'D', scanMs: 1000, at: 2 },
          { device: 'D', scanMs: 5000, at: 2 },
        ],
      },
    ]);
    batcher.close();
  });

  it('delivers at once when the batch is full', () => {
    const batches: TagValue[][] = [];
    const batcher = new TagValueBatcher((values) => batches.push(values), { intervalMs: 10_000, maxValues: 500 });
    batcher.push(Array.from({ length: 1200 }, (_, index) => value(`t${index}`, index)));
    assert.deepEqual(batches.map((b) => b.length), [500, 500]);
    batcher.flush();
    assert.deepEqual(batches.map((b) => b.length), [500, 500, 200]);
    batcher.close();
  });
});

describe('channel token', () => {
  it('is 48 hex characters of fresh randomness', () => {
    const token = createToken();
    assert.match(token, /^[0-9a-f]{48}$/);
    assert.notEqual(token, createToken());
  });

  it('matches only itself', () => {
    const token = createToken();
    assert.ok(tokenMatches(token, token));
    assert.ok(!tokenMatches(token, token.slice(1)));
    assert.ok(!tokenMatches(token, null));
    assert.ok(!tokenMatches(token, ''));
  });
});

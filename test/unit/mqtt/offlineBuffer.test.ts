import assert from 'node:assert/strict';
import { OfflineBuffer } from '../../../gateway/mqtt/offlineBuffer';

describe('mqtt OfflineBuffer', () => {
  it('keeps up to its limit, drops the oldest first and counts the drops until drained', () => {
    const buffer = new OfflineBuffer<number>(3);
    assert.deepEqual([1, 2, 3].map((n) => buffer.push(n)), [false, false, false]);
    assert.equal(buffer.push(4), true);
    assert.equal(buffer.push(5), true);
    assert.equal(buffer.size, 3);
    assert.deepEqual(buffer.drain(), { items: [3, 4, 5], dropped: 2 });
    assert.deepEqual(buffer.drain(), { items: [], dropped: 0 });
  });

  it('stays in order across many drops (compaction)', () => {
    const buffer = new OfflineBuffer<number>(5);
    for (let n = 0; n < 1000; n++) buffer.push(n);
    assert.deepEqual(buffer.drain(), { items: [995, 996, 997, 998, 999], dropped: 995 });
  });

  it('with limit 0 keeps nothing and counts everything as dropped', () => {
    const buffer = new OfflineBuffer<string>(0);
    assert.equal(buffer.push('a'), true);
    assert.deepEqual(buffer.drain(), { items: [], dropped: 1 });
  });
});

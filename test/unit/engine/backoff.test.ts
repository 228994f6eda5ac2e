import assert from 'node:assert/strict';
import { Backoff, DEFAULT_BACKOFF } from '../../../gateway/engine/backoff';
import { TransactionIds } from '../../../gateway/engine/transactionIds';

describe('reconnect backoff', () => {
  it('doubles from 250 ms and stops at 10 s (no jitter at the midpoint)', () => {
    const backoff = new Backoff(DEFAULT_BACKOFF, () => 0.5);
    const delays = Array.from({ length: 8 }, () => backoff.next());
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('spreads each delay by ±20 % and never above the cap', () => {
    assert.equal(new Backoff(DEFAULT_BACKOFF, () => 0).next(), 200);
    assert.equal(new Backoff(DEFAULT_BACKOFF, () => 0.999999).next(), 300);
    const high = new Backoff(DEFAULT_BACKOFF, () => 0.999999);
    for (let i = 0; i < 10; i++) assert.ok(high.next() <= 10_000);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff(DEFAULT_BACKOFF, () => 0.5);
    backoff.next();
    backoff.next();
    backoff.reset();
    assert.equal(backoff.next(), 250);
  });
});

describe('transaction ids', () => {
  it('count up and wrap at 16 bits', () => {
    const ids = new TransactionIds();
    const seen = Array.from({ length: 0x10001 }, () => ids.next(() => false));
    assert.equal(seen[0], 1);
    assert.equal(seen[0xfffe], 0xffff);
    assert.equal(seen[0xffff], 0);
    assert.equal(seen[0x10000], 1);
  });

  it('skip ids still waiting for a reply', () => {
    const ids = new TransactionIds();
    const waiting = new Set([1, 2, 4]);
    assert.equal(ids.next((id) => waiting.has(id)), 3);
    assert.equal(ids.next((id) => waiting.has(id)), 5);
  });
});

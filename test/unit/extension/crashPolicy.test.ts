import * as assert from 'node:assert/strict';
import { CrashPolicy } from '../../../extension/gateway/crashPolicy';

describe('extension/gateway/crashPolicy', () => {
  it('restarts with doubling delays and gives up at the fifth crash in three minutes', () => {
    const policy = new CrashPolicy();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = policy.recordCrash(i * 1000);
      assert.equal(decision.restart, true);
      if (decision.restart) delays.push(decision.delayMs);
    }
    assert.deepEqual(delays, [500, 1000, 2000, 4000]);
    assert.deepEqual(policy.recordCrash(5000), { restart: false, recentCrashes: 5 });
  });

  it('forgets crashes older than the window', () => {
    const policy = new CrashPolicy();
    for (let i = 0; i < 4; i++) policy.recordCrash(i);
    const decision = policy.recordCrash(3 * 60_000 + 10);
    assert.equal(decision.restart, true);
    assert.equal(decision.recentCrashes, 1);
  });

  it('caps the delay', () => {
    const policy = new CrashPolicy({ maxCrashes: 100, windowMs: 1e9, initialDelayMs: 500, maxDelayMs: 10_000 });
    let last = 0;
    for (let i = 0; i < 10; i++) {
      const decision = policy.recordCrash(i);
      if (decision.restart) last = decision.delayMs;
    }
    assert.equal(last, 10_000);
  });

  it('starts over after reset', () => {
    const policy = new CrashPolicy();
    for (let i = 0; i < 4; i++) policy.recordCrash(i);
    policy.reset();
    assert.deepEqual(policy.recordCrash(10), { restart: true, delayMs: 500, recentCrashes: 1 });
  });
});

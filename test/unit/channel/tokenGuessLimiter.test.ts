import assert from 'node:assert/strict';
import { TokenGuessLimiter } from '../../../gateway/channel/tokenGuessLimiter';

describe('token guess limiter', () => {
  const limits = { failures: 3, windowMs: 1000, lockoutMs: 500, maxLockoutMs: 1600, maxAddresses: 3 };
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('locks an address out after the allowed wrong tokens within the window, and only that address', () => {
    const limiter = new TokenGuessLimiter(limits, clock);
    assert.equal(limiter.failed('10.0.0.9'), undefined);
    assert.equal(limiter.failed('10.0.0.9'), undefined);
    assert.deepEqual(limiter.check('10.0.0.9'), { locked: false });
    assert.deepEqual(limiter.failed('10.0.0.9'), { lockoutMs: 500 });
    now = 100;
    assert.deepEqual(limiter.check('10.0.0.9'), { locked: true, retryAfterMs: 400 });
    assert.deepEqual(limiter.check('10.0.0.7'), { locked: false });
    now = 500;
    assert.deepEqual(limiter.check('10.0.0.9'), { locked: false });
  });

  it('forgets wrong tokens older than the window, and all of them after the right token', () => {
    const limiter = new TokenGuessLimiter(limits, clock);
    limiter.failed('a');
    limiter.failed('a');
    now = 1000;
    assert.equal(limiter.failed('a'), undefined, 'the first two fell out of the window');
    limiter.failed('a');
    limiter.succeeded('a');
    assert.equal(limiter.failed('a'), undefined);
    assert.equal(limiter.failed('a'), undefined);
  });

  it('doubles the lockout for an address that starts again right away, up to the maximum, and resets after a calm window', () => {
    const limiter = new TokenGuessLimiter(limits, clock);
    const burst = () => [limiter.failed('a'), limiter.failed('a'), limiter.failed('a')].at(-1);
    assert.deepEqual(burst(), { lockoutMs: 500 });
    now = 500;
    assert.deepEqual(burst(), { lockoutMs: 1000 });
    now = 1500;
    assert.deepEqual(burst(), { lockoutMs: 1600 });
    now = 3100;
    assert.deepEqual(burst(), { lockoutMs: 1600 });
    now = 3100 + 1600 + 1000;
    assert.deepEqual(burst(), { lockoutMs: 500 });
  });

  it('remembers a bounded number of addresses, forgetting the least recently seen', () => {
    const limiter = new TokenGuessLimiter(limits, clock);
    for (const address of ['a', 'b', 'c', 'd', 'e']) limiter.failed(address);
    assert.equal(limiter.trackedAddresses, 3);
  });
});

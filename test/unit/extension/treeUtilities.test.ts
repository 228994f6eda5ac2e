import { strict as assert } from 'node:assert';
import { NodeCache } from '../../../extension/util/nodeCache';
import { RepaintThrottle } from '../../../extension/util/repaintThrottle';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tree utilities', () => {
  it('NodeCache hands out the same object per key until pruned', () => {
    const cache = new NodeCache<{ name: string }>();
    const first = cache.get('a', () => ({ name: 'a' }));
    assert.equal(cache.get('a', () => ({ name: 'other' })), first);
    cache.prune((node) => node.name !== 'a');
    assert.notEqual(cache.get('a', () => ({ name: 'a' })), first);
  });

  it('RepaintThrottle runs the first request at once and a burst once', async () => {
    let runs = 0;
    const throttle = new RepaintThrottle(100, () => runs++);
    throttle.schedule();
    throttle.schedule();
    await tick(10);
    assert.equal(runs, 1, 'the first request after a quiet spell is not held back');
    for (let i = 0; i < 5; i++) throttle.schedule();
    await tick(10);
    assert.equal(runs, 1, 'a burst inside the interval waits for it');
    await tick(150);
    assert.equal(runs, 2, 'and then runs once');
    throttle.schedule();
    throttle.dispose();
    await tick(150);
    assert.equal(runs, 2, 'nothing runs after dispose');
  });
});

import assert from 'node:assert/strict';
import { FairQueue } from '../../../gateway/proxy/fairQueue';

describe('FairQueue', () => {
  it('takes one item per client per round: a chatty client cannot starve the others', () => {
    const queue = new FairQueue<string, string>();
    for (let i = 0; i < 5; i++) queue.push('chatty', `c${i}`);
    queue.push('quiet', 'q0');
    queue.push('other', 'o0');
    const order = Array.from({ length: 7 }, () => queue.shift());
    assert.deepEqual(order, ['c0', 'q0', 'o0', 'c1', 'c2', 'c3', 'c4']);
    assert.equal(queue.size, 0);
    assert.equal(queue.shift(), undefined);
  });

  it('removes one item, or everything of a client that left', () => {
    const queue = new FairQueue<string, number>();
    [1, 2, 3].forEach((n) => queue.push('a', n));
    queue.push('b', 10);
    assert.equal(queue.remove('a', 2), true);
    assert.equal(queue.remove('a', 2), false);
    assert.deepEqual(queue.removeOwner('a'), [1, 3]);
    assert.equal(queue.size, 1);
    assert.equal(queue.shift(), 10);
  });
});

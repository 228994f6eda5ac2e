import assert from 'node:assert/strict';
import { describeCandidate, findCandidates, parseFinderQuery, stillHolding } from '../../../gateway/api/codec/valueFinder';

/** Deterministic noise (xorshift), so a failure reproduces. */
function noise(count: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xffff;
  });
}

describe('value finder', () => {
  it('reads the query as typed, with half the last digit as the default tolerance', () => {
    assert.deepEqual(parseFinderQuery('230.1 ±0.5'), { ok: true, query: { target: 230.1, tolerance: 0.5 } });
    assert.deepEqual(parseFinderQuery('230.1'), { ok: true, query: { target: 230.1, tolerance: 0.05 } });
    assert.deepEqual(parseFinderQuery('-5 +-1'), { ok: true, query: { target: -5, tolerance: 1 } });
    assert.equal(parseFinderQuery('about 230').ok, false);
  });

  it('finds a float32 CDAB and an int16 ×0.1 among noise, and a second read drops the noise that matched by chance', () => {
    const query = { target: 230.1, tolerance: 0.5 };
    const first = noise(2000, 7);
    const second = noise(2000, 99);
    for (const read of [first, second]) {
      read.splice(1200, 2, 0x199a, 0x4366); // float32 230.1, words swapped
      read[640] = 2301; // int16 ×0.1
      read[641] = 0x8001; // a neighbour that keeps int32 readings of 640 far from 230
      read[639] = 0x8001;
    }
    const candidates = findCandidates(first, 0, query);
    const held = stillHolding(candidates, second, 0, query);
    assert.ok(held.length <= 5, held.map((c) => describeCandidate(c, 'HR', 0)).join(', '));
    const described = held.map((c) => describeCandidate(c, 'HR', 0));
    assert.ok(described.includes('HR:1200 float32 CDAB'), described.join(', '));
    assert.ok(described.includes('HR:640 uint16 ×0.1'), described.join(', '));
    // Exact types rank before scaled ones.
    assert.equal(held[0].scale, 1);
  });

  it('lists a 16-bit value once whether read signed or unsigned, and finds negative int16', () => {
    const candidates = findCandidates([0xfff6], 10, { target: -1, tolerance: 0 });
    assert.deepEqual(candidates.map((c) => describeCandidate(c, 'HR', 1)), ['HR:11 int16 ×0.1']);
    const positive = findCandidates([50], 0, { target: 5, tolerance: 0 });
    assert.deepEqual(positive.map((c) => `${c.type} ${c.scale}`), ['uint16 0.1']);
  });

  it('skips registers that could not be read', () => {
    assert.deepEqual(findCandidates([undefined, 2301], 0, { target: 230.1, tolerance: 0 }).map((c) => c.offset), [1]);
  });
});

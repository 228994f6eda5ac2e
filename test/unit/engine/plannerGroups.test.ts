import assert from 'node:assert/strict';
import { Device, Tag } from '../../../gateway/api/config';
import { groupByScanPeriod, planOptionsFor, planReads, unreadableTags } from '../../../gateway/engine/planner';
import { resolveTag, type ResolvedTag } from '../../../gateway/tags/resolve';

function tag(input: Record<string, unknown>): ResolvedTag {
  const result = resolveTag(Tag.parse(input));
  if (!result.ok) throw new Error(result.error);
  return result.tag;
}

const options = (limits: Record<string, number>) =>
  planOptionsFor(Device.parse({ name: 'd', transport: { kind: 'demo' }, ...limits }));

describe('block planner: device limits and scan groups', () => {
  it('honours maxRegistersPerRead', () => {
    const tags = Array.from({ length: 100 }, (_, index) => tag({ name: `t${index}`, address: `HR:${index}` }));
    const blocks = planReads(tags, options({ maxRegistersPerRead: 30 }));
    assert.deepEqual(blocks.map((block) => [block.start, block.quantity]), [[0, 30], [30, 30], [60, 30], [90, 10]]);
  });

  it('honours maxBitsPerRead', () => {
    const tags = Array.from({ length: 50 }, (_, index) => tag({ name: `c${index}`, address: `CO:${index}`, type: 'bool' }));
    assert.equal(planReads(tags, options({ maxBitsPerRead: 16 })).length, 4);
  });

  it('bridges gaps up to maxRegisterGap and no further', () => {
    const tags = [tag({ name: 'a', address: 'HR:0' }), tag({ name: 'b', address: 'HR:5' })];
    assert.equal(planReads(tags, options({ maxRegisterGap: 4 })).length, 1, 'a gap of 4 registers is bridged');
    assert.equal(planReads(tags, options({ maxRegisterGap: 3 })).length, 2);
    assert.equal(planReads(tags, options({ maxRegisterGap: 0 })).length, 2);
  });

  it('plans 64-bit, float64 and string widths', () => {
    const tags = [
      tag({ name: 'u64', address: 'HR:0', type: 'uint64' }),
      tag({ name: 'f64', address: 'HR:4', type: 'float64' }),
      tag({ name: 's', address: 'HR:8', type: 'string', length: 10 }),
    ];
    assert.deepEqual(planReads(tags).map((block) => [block.start, block.quantity]), [[0, 18]]);
  });

  it('names a tag wider than the device reads in one request', () => {
    const tags = [tag({ name: 'long', address: 'HR:0', type: 'string', length: 40 })];
    const [entry] = unreadableTags(tags, options({ maxRegistersPerRead: 32 }));
    assert.match(entry.error, /long spans 40 registers but this device reads at most 32/);
  });

  it('groups tags by scan period (own scanMs, else pollMs), each planned on its own', () => {
    const tags = [
      tag({ name: 'slow1', address: 'HR:0' }),
      tag({ name: 'fast', address: 'HR:1', scanMs: 100 }),
      tag({ name: 'slow2', address: 'HR:2' }),
    ];
    const groups = groupByScanPeriod(tags, 1000);
    assert.deepEqual(groups.map((group) => [group.scanMs, group.tags.map((t) => t.name)]), [
      [100, ['fast']],
      [1000, ['slow1', 'slow2']],
    ]);
    assert.deepEqual(planReads(groups[1].tags).map((block) => [block.start, block.quantity]), [[0, 3]]);
  });

  it('1,000 adjacent uint16 tags: 8 requests (the minimum at 125 per read)', () => {
    const tags = Array.from({ length: 1000 }, (_, index) => tag({ name: `t${index}`, address: `HR:${index}` }));
    assert.equal(planReads(tags).length, 8);
  });
});

import assert from 'node:assert/strict';
import { Tag, type DataType } from '../../../gateway/api/config';
import { planReads, splitBlock } from '../../../gateway/engine/planner';
import { resolveTag, type ResolvedTag } from '../../../gateway/tags/resolve';

function tag(name: string, address: string, type: DataType = 'uint16'): ResolvedTag {
  const result = resolveTag(Tag.parse({ name, address, type }));
  if (!result.ok) throw new Error(result.error);
  return result.tag;
}

const summary = (tags: ResolvedTag[]) =>
  planReads(tags).map((block) => `${block.functionCode}:${block.start}+${block.quantity} [${block.tags.map((t) => t.name).join(',')}]`);

describe('block planner', () => {
  it('regression (Go gateway): adjacent tags become ONE request, not one per tag', () => {
    const tags = [tag('a', 'HR:0'), tag('b', 'HR:1', 'float32'), tag('c', 'HR:3', 'int16'), tag('d', 'HR:4', 'uint32')];
    const blocks = planReads(tags);
    assert.equal(blocks.length, 1);
    assert.deepEqual(
      { start: blocks[0].start, quantity: blocks[0].quantity, functionCode: blocks[0].functionCode },
      { start: 0, quantity: 6, functionCode: 3 },
    );
    assert.deepEqual(blocks[0].tags.map((t) => t.name), ['a', 'b', 'c', 'd']);
  });

  it('bridges a small gap and splits at a large one', () => {
    assert.deepEqual(summary([tag('a', 'HR:0'), tag('b', 'HR:9'), tag('c', 'HR:100')]), ['3:0+10 [a,b]', '3:100+1 [c]']);
  });

  it('keeps tables apart and uses the right function for each', () => {
    assert.deepEqual(
      summary([tag('h', 'HR:0'), tag('i', 'IR:0'), tag('c', 'CO:0', 'bool'), tag('d', 'DI:0', 'bool')]),
      ['3:0+1 [h]', '4:0+1 [i]', '1:0+1 [c]', '2:0+1 [d]'],
    );
  });

  it('sorts tags given out of order', () => {
    assert.deepEqual(summary([tag('c', 'HR:4'), tag('a', 'HR:0'), tag('b', 'HR:2')]), ['3:0+5 [a,b,c]']);
  });

  it('never plans more than 125 registers in one read', () => {
    const tags = Array.from({ length: 200 }, (_, index) => tag(`t${index}`, `HR:${index}`));
    const blocks = planReads(tags);
    assert.deepEqual(blocks.map((b) => [b.start, b.quantity]), [[0, 125], [125, 75]]);
  });

  it('never lets a 32-bit tag straddle the 125-register limit', () => {
    const tags = [tag('first', 'HR:0'), tag('wide', 'HR:124', 'float32')];
    assert.deepEqual(summary(tags), ['3:0+1 [first]', '3:124+2 [wide]']);
  });

  it('packs coils into reads of at most 2000', () => {
    // Coils every 50 bits: 0..1950 fit one read (1951 bits); 2000 would make it 2001.
    const tags = Array.from({ length: 41 }, (_, index) => tag(`c${index}`, `CO:${index * 50}`, 'bool'));
    const blocks = planReads(tags);
    assert.deepEqual(blocks.map((b) => [b.start, b.quantity]), [[0, 1951], [2000, 1]]);
    const exact = Array.from({ length: 2000 }, (_, index) => tag(`d${index}`, `DI:${index}`, 'bool'));
    assert.deepEqual(planReads(exact).map((b) => [b.start, b.quantity]), [[0, 2000]]);
  });

  it('shares one register among bit tags and a word tag on it', () => {
    assert.deepEqual(
      summary([tag('bit0', 'HR:30.0', 'bool'), tag('bit7', 'HR:30.7', 'bool'), tag('word', 'HR:30')]),
      ['3:30+1 [bit0,bit7,word]'],
    );
  });

  it('splits a block into one read per tag as the fallback', () => {
    const [block] = planReads([tag('a', 'HR:0'), tag('b', 'HR:5', 'float32')]);
    assert.deepEqual(splitBlock(block).map((b) => [b.start, b.quantity, b.tags[0].name]), [[0, 1, 'a'], [5, 2, 'b']]);
  });
});

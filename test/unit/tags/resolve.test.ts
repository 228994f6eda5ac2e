import assert from 'node:assert/strict';
import { Tag } from '../../../gateway/api/config';
import { resolveTag } from '../../../gateway/tags/resolve';
import { decodeTagFromBlock } from '../../../gateway/tags/tagValue';

function resolved(input: Record<string, unknown>) {
  const result = resolveTag(Tag.parse(input));
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.tag;
}

describe('tag resolution', () => {
  it('gives 32-bit types a width of two registers and bits a width of one', () => {
    assert.equal(resolved({ name: 'a', address: 'HR:10', type: 'float32' }).width, 2);
    assert.equal(resolved({ name: 'b', address: '40001' }).width, 1);
    assert.deepEqual(
      { ...resolved({ name: 'c', address: 'HR:30.4', type: 'bool' }) },
      {
        name: 'c', address: 'HR:30.4', table: 'holdingRegister', offset: 30, width: 1, bit: 4,
        type: 'bool', order: 'ABCD', scale: 1, valueOffset: 0,
      },
    );
  });

  it('refuses a 32-bit value that would run past register 65535', () => {
    const result = resolveTag(Tag.parse({ name: 'edge', address: 'HR:65535', type: 'uint32' }));
    assert.ok(!result.ok);
    assert.match(result.error, /runs past 65535/);
  });

  it('decodes a tag from the middle of a block, with scale, and keeps the raw registers', () => {
    const tag = resolved({ name: 't', address: 'IR:5', type: 'int16', scale: 0.1 });
    assert.deepEqual(decodeTagFromBlock(tag, 3, [0, 0, 215, 0]), { value: 21.5, raw: [215] });
  });

  it('decodes coils and register bits as booleans', () => {
    const coil = resolved({ name: 'c', address: 'CO:2', type: 'bool' });
    assert.deepEqual(decodeTagFromBlock(coil, 0, [false, false, true]), { value: true, raw: [1] });
    const bit = resolved({ name: 'b', address: 'HR:1.2', type: 'bool' });
    assert.deepEqual(decodeTagFromBlock(bit, 0, [0, 4]), { value: true, raw: [4] });
  });
});

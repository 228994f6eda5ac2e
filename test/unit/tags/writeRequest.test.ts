import assert from 'node:assert/strict';
import { Tag } from '../../../gateway/api/config';
import { encodeRequest } from '../../../gateway/protocol/requests';
import { resolveTag } from '../../../gateway/tags/resolve';
import { encodeTagWrite, withBit, WriteRefusedError } from '../../../gateway/tags/writeRequest';
import { bitWriteMethod } from '../../../gateway/engine/bitWrites';

function tag(input: Record<string, unknown>) {
  const result = resolveTag(Tag.parse({ name: 'x', ...input }));
  if (!result.ok) throw new Error(result.error);
  return result.tag;
}
const frame = (input: Record<string, unknown>, value: number | boolean | string) =>
  encodeRequest(encodeTagWrite('Dev', tag(input), value).request).toString('hex');

describe('tag writes', () => {
  it('FC 5 for a coil', () => assert.equal(frame({ address: 'CO:12', type: 'bool' }, true), '05000cff00'));
  it('FC 22 mask write for a bit in a register, leaving the other bits alone', () => {
    assert.equal(frame({ address: 'HR:10.3', type: 'bool' }, true), '16000afff70008');
    assert.equal(frame({ address: 'HR:10.3', type: 'bool' }, false), '16000afff70000');
  });
  it('read-modify-write for a register bit: reads the one register, then sets or clears only that bit', () => {
    const write = encodeTagWrite('Dev', tag({ address: 'HR:10.3', type: 'bool' }), true, 'readModifyWrite');
    assert.equal(encodeRequest(write.request).toString('hex'), '03000a0001');
    assert.deepEqual(write.readModifyWrite, { address: 10, bit: 3, on: true });
    assert.equal(withBit(0xa001, 3, true), 0xa009);
    assert.equal(withBit(0xffff, 15, false), 0x7fff);
    assert.equal(withBit(0x0008, 3, true), 0x0008);
  });
  it('bitWrite auto uses FC 22 until the device refused it; explicit settings always win', () => {
    assert.equal(bitWriteMethod({ bitWrite: 'auto' }, false), 'fc22');
    assert.equal(bitWriteMethod({ bitWrite: 'auto' }, true), 'readModifyWrite');
    assert.equal(bitWriteMethod({ bitWrite: 'fc22' }, true), 'fc22');
    assert.equal(bitWriteMethod({ bitWrite: 'readModifyWrite' }, false), 'readModifyWrite');
  });
  it('FC 6 for one register, with scale removed', () => {
    assert.equal(frame({ address: 'HR:1', type: 'int16', scale: 0.1 }, 21.5), '06000100d7');
  });
  it('FC 16 for a float32 in CDAB and a string', () => {
    assert.equal(frame({ address: 'HR:2', type: 'float32', order: 'CDAB' }, 3.1415927), '1000020002040fdb4049');
    assert.equal(frame({ address: 'HR:4', type: 'string', length: 2 }, 'OK'), '1000040002044f4b0000');
    assert.equal(frame({ address: 'HR:0', type: 'uint64' }, '18446744073709551615'), '100000000408ffffffffffffffff');
  });
  it('refuses 70000 into a uint16, naming device, tag, address and the range', () => {
    assert.throws(() => encodeTagWrite('Dev', tag({ address: '40011', type: 'uint16' }), 70000), (error: Error) => {
      assert.ok(error instanceof WriteRefusedError);
      assert.equal(error.message, 'Dev: cannot write tag "x" at HR:10: 70000 does not fit uint16 (an integer 0–65535)');
      assert.equal(error.expected, 'an integer 0–65535');
      return true;
    });
  });
  it('refuses discrete inputs and input registers', () => {
    assert.throws(() => encodeTagWrite('Dev', tag({ address: 'DI:3', type: 'bool' }), true), /DI:3: a discrete input is read-only/);
    assert.throws(() => encodeTagWrite('Dev', tag({ address: 'IR:3' }), 1), /IR:3: an input register is read-only/);
  });
  it('refuses a value of the wrong kind', () => {
    assert.throws(() => encodeTagWrite('Dev', tag({ address: 'CO:1', type: 'bool' }), 'maybe'), /not a coil state/);
    assert.throws(() => encodeTagWrite('Dev', tag({ address: 'HR:1' }), true), /true is not a uint16/);
  });
});

import assert from 'node:assert/strict';
import { Tag, type WordOrder } from '../../../gateway/api/config';
import { decodeRaw, scaleRaw, TagDecodeError } from '../../../gateway/tags/decode';
import { encodeRaw, removeScale, TagEncodeError } from '../../../gateway/tags/encode';
import { resolveTag } from '../../../gateway/tags/resolve';
import { decodeTagFromBlock } from '../../../gateway/tags/tagValue';
import type { RegisterType } from '../../../gateway/tags/dataTypes';

const ORDERS: WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

/** Big-endian bytes → wire registers in `order` (independent of the code under test). */
function wire(bigEndianHex: string, order: WordOrder): number[] {
  let bytes = Buffer.from(bigEndianHex, 'hex');
  const words: number[][] = [];
  for (let index = 0; index < bytes.length; index += 2) words.push([bytes[index], bytes[index + 1]]);
  if (order === 'CDAB' || order === 'DCBA') words.reverse();
  if (order === 'BADC' || order === 'DCBA') words.forEach((word) => word.reverse());
  bytes = Buffer.from(words.flat());
  return words.map((_, index) => bytes.readUInt16BE(index * 2));
}

const CASES: { type: RegisterType; hex: string; value: number | bigint }[] = [
  { type: 'int16', hex: 'fb2e', value: -1234 },
  { type: 'uint16', hex: 'ffff', value: 65535 },
  { type: 'int32', hex: 'fffffffe', value: -2 },
  { type: 'uint32', hex: '075bcd15', value: 123456789 },
  { type: 'int64', hex: 'ffffffffffffffff', value: -1n },
  { type: 'int64', hex: '8000000000000000', value: -(2n ** 63n) },
  { type: 'uint64', hex: 'ffffffffffffffff', value: 2n ** 64n - 1n },
  { type: 'uint64', hex: '0123456789abcdef', value: 0x0123456789abcdefn },
  { type: 'float32', hex: '40490fdb', value: 3.1415927 },
  { type: 'float64', hex: '400921fb54442d18', value: Math.PI },
  { type: 'bcd16', hex: '1234', value: 1234 },
  { type: 'bcd32', hex: '98765432', value: 98765432 },
];

describe('tag types × byte/word orders', () => {
  for (const { type, hex, value } of CASES) {
    for (const order of ORDERS) {
      const registers = wire(hex, order);
      it(`${type} ${order}: ${registers.map((r) => r.toString(16).padStart(4, '0')).join(' ')} ⇄ ${value}`, () => {
        assert.equal(decodeRaw(type, order, registers), value);
        assert.deepEqual(encodeRaw(type, order, value), registers, 'encode is the exact inverse');
      });
    }
  }

  it('regression (Go gateway): float32 0x4049 0x0FDB is 3.1415927, not a numeric cast', () => {
    assert.equal(decodeRaw('float32', 'ABCD', [0x4049, 0x0fdb]), 3.1415927);
  });

  it('float64 π in every order', () => {
    for (const order of ORDERS) assert.equal(decodeRaw('float64', order, wire('400921fb54442d18', order)), Math.PI);
  });

  it('uint64 2^64−1 stays exact on the channel as text, int64 −1 as −1', () => {
    assert.deepEqual(scaleRaw(decodeRaw('uint64', 'ABCD', [0xffff, 0xffff, 0xffff, 0xffff]), 1, 0), {
      value: 18446744073709552000,
      text: '18446744073709551615',
    });
    assert.deepEqual(scaleRaw(decodeRaw('int64', 'DCBA', [0xffff, 0xffff, 0xffff, 0xffff]), 1, 0), { value: -1, text: '-1' });
    assert.deepEqual(encodeRaw('uint64', 'ABCD', '18446744073709551615'), [0xffff, 0xffff, 0xffff, 0xffff]);
  });

  it('strings: two ASCII characters per register, trailing NULs and spaces trimmed, bytes swapped for BADC', () => {
    assert.equal(decodeRaw('string', 'ABCD', [0x4869, 0x2042, 0x6966, 0x0000], 4), 'Hi Bif');
    assert.equal(decodeRaw('string', 'ABCD', [0x4142, 0x2020], 2), 'AB');
    assert.equal(decodeRaw('string', 'BADC', [0x6948, 0x0021], 2), 'Hi!');
    assert.deepEqual(encodeRaw('string', 'ABCD', 'Hi!', 3), [0x4869, 0x2100, 0x0000]);
    assert.deepEqual(encodeRaw('string', 'BADC', 'Hi!', 2), [0x6948, 0x0021]);
    assert.throws(() => encodeRaw('string', 'ABCD', 'too long', 2), /8 characters; the string holds 4/);
    assert.throws(() => encodeRaw('string', 'ABCD', 'é', 2), /printable ASCII/);
  });

  it('BCD: a nibble above 9 is an error naming the registers', () => {
    assert.throws(() => decodeRaw('bcd16', 'ABCD', [0x12a4]), (error: Error) => {
      assert.ok(error instanceof TagDecodeError);
      assert.match(error.message, /0x12A4 is not BCD: digit 3 is 0xA/);
      return true;
    });
    assert.throws(() => encodeRaw('bcd16', 'ABCD', 10000), /10000 does not fit bcd16 \(an integer 0–9999\)/);
  });

  it('refuses values a type cannot hold instead of wrapping', () => {
    const cases: [RegisterType, number | string, RegExp][] = [
      ['uint16', 70000, /70000 does not fit uint16 \(an integer 0–65535\)/],
      ['int16', 32768, /int16/],
      ['uint16', -1, /0–65535/],
      ['int32', 1.5, /1.5 does not fit int32 \(an integer -2147483648–2147483647\)/],
      ['uint64', -1, /uint64/],
      ['uint64', '18446744073709551616', /uint64/],
      ['int64', 'twelve', /decimal digits/],
      ['float32', 1e39, /±3\.4028235e38/],
    ];
    for (const [type, value, message] of cases) {
      assert.throws(() => encodeRaw(type, 'ABCD', value), (error: Error) => error instanceof TagEncodeError && message.test(error.message));
    }
  });

  it('scale and offset round-trip: 21.5 with scale 0.1 writes 215, reads 21.5', () => {
    assert.equal(removeScale(21.5, 0.1, 0, 'int16'), 215);
    assert.equal(removeScale(100, 2, 10, 'int16'), 45);
    assert.equal(scaleRaw(215, 0.1, 0).value, 21.5);
    assert.equal(scaleRaw(45, 2, 10).value, 100);
    assert.equal(scaleRaw(10n, 1000, 5).text, '10005');
  });

  it('a tag decodes from its block with text for strings and exact 64-bit', () => {
    const make = (input: Record<string, unknown>) => {
      const result = resolveTag(Tag.parse(input));
      if (!result.ok) throw new Error(result.error);
      return result.tag;
    };
    const name = make({ name: 'name', address: 'HR:2', type: 'string', length: 2 });
    assert.deepEqual(decodeTagFromBlock(name, 0, [0, 0, 0x4f4b, 0]), { value: null, text: 'OK', raw: [0x4f4b, 0] });
    const big = make({ name: 'big', address: 'HR:0', type: 'uint64' });
    assert.equal(decodeTagFromBlock(big, 0, [0xffff, 0xffff, 0xffff, 0xffff]).text, '18446744073709551615');
  });
});

describe('address base', () => {
  const tag = (address: string) => Tag.parse({ name: 't', address });
  it('applies a one-based device to the table form only', () => {
    const hr = resolveTag(tag('HR:1'), { addressBase: 1 });
    assert.ok(hr.ok && hr.tag.offset === 0);
    const modicon = resolveTag(tag('40001'), { addressBase: 1 });
    assert.ok(modicon.ok && modicon.tag.offset === 0, 'Modicon numbers are one-based already');
    const zero = resolveTag(tag('HR:1'), { addressBase: 0 });
    assert.ok(zero.ok && zero.tag.offset === 1);
  });
  it('says so when HR:0 is used on a one-based device', () => {
    const result = resolveTag(tag('HR:0'), { addressBase: 1 });
    assert.ok(!result.ok);
    assert.match(result.error, /numbers offsets from 1 \(addressBase 1\): the first is HR:1/);
  });
});

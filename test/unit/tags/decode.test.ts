import assert from 'node:assert/strict';
import type { WordOrder } from '../../../gateway/api/config';
import { applyScale, decodeRegisterBit, decodeRegisters, shortestFloat32 } from '../../../gateway/tags/decode';
import { encodeRegisters, removeScale, withRegisterBit } from '../../../gateway/tags/encode';

/** π as float32 is 0x40490FDB: bytes A=40 B=49 C=0F D=DB. */
const PI_ON_THE_WIRE: Record<WordOrder, [number, number]> = {
  ABCD: [0x4049, 0x0fdb],
  CDAB: [0x0fdb, 0x4049],
  BADC: [0x4940, 0xdb0f],
  DCBA: [0xdb0f, 0x4940],
};

describe('tag decoding', () => {
  describe('float32 is a bit reinterpretation', () => {
    for (const [order, registers] of Object.entries(PI_ON_THE_WIRE) as [WordOrder, [number, number]][]) {
      it(`reads π from ${registers.map((r) => r.toString(16).padStart(4, '0')).join(' ')} in ${order}`, () => {
        assert.equal(decodeRegisters('float32', order, registers), 3.1415927);
      });
    }

    it('regression (Go gateway): 0x4049 0x0FDB is not the number 1078530011', () => {
      // The Go gateway did float32(uint32(hi<<16 | lo)), a numeric cast.
      const numericCast = 0x4049 * 0x10000 + 0x0fdb;
      const value = decodeRegisters('float32', 'ABCD', [0x4049, 0x0fdb]);
      assert.notEqual(value, numericCast);
      assert.equal(value, 3.1415927);
    });

    it('keeps negative, tiny, infinite and NaN floats', () => {
      assert.equal(decodeRegisters('float32', 'ABCD', [0xc2f6, 0xe979]), -123.456);
      assert.equal(decodeRegisters('float32', 'ABCD', [0x0000, 0x0001]), 1e-45);
      assert.equal(decodeRegisters('float32', 'ABCD', [0x7f80, 0x0000]), Infinity);
      assert.ok(Number.isNaN(decodeRegisters('float32', 'ABCD', [0x7fc0, 0x0000])));
    });

    it('prints the shortest decimal that is the same float32', () => {
      assert.equal(shortestFloat32(Math.fround(0.1)), 0.1);
      assert.equal(shortestFloat32(Math.fround(21.5)), 21.5);
    });
  });

  describe('integers', () => {
    it('reads uint16 and int16, byte-swapped for BADC and DCBA', () => {
      assert.equal(decodeRegisters('uint16', 'ABCD', [0xfb2e]), 64302);
      assert.equal(decodeRegisters('int16', 'ABCD', [0xfb2e]), -1234);
      assert.equal(decodeRegisters('int16', 'CDAB', [0xfb2e]), -1234);
      assert.equal(decodeRegisters('uint16', 'BADC', [0x3412]), 0x1234);
      assert.equal(decodeRegisters('uint16', 'DCBA', [0x3412]), 0x1234);
    });

    it('reads uint32 123456789 (0x075BCD15) in all four orders', () => {
      const wire: Record<WordOrder, number[]> = {
        ABCD: [0x075b, 0xcd15],
        CDAB: [0xcd15, 0x075b],
        BADC: [0x5b07, 0x15cd],
        DCBA: [0x15cd, 0x5b07],
      };
      for (const [order, registers] of Object.entries(wire) as [WordOrder, number[]][]) {
        assert.equal(decodeRegisters('uint32', order, registers), 123456789, order);
      }
    });

    it('reads int32 with its sign', () => {
      assert.equal(decodeRegisters('int32', 'ABCD', [0xffff, 0xfffe]), -2);
      assert.equal(decodeRegisters('int32', 'CDAB', [0xfffe, 0xffff]), -2);
      assert.equal(decodeRegisters('uint32', 'ABCD', [0xffff, 0xfffe]), 4294967294);
    });
  });

  describe('bits, scale and offset', () => {
    it('reads a bit inside a register, bit 0 least significant', () => {
      assert.equal(decodeRegisterBit(0b1000_0000_0000_0101, 0), true);
      assert.equal(decodeRegisterBit(0b1000_0000_0000_0101, 1), false);
      assert.equal(decodeRegisterBit(0b1000_0000_0000_0101, 15), true);
    });

    it('applies value = raw × scale + offset without binary noise', () => {
      assert.equal(applyScale(215, 0.1, 0), 21.5);
      assert.equal(applyScale(3, 0.1, 0), 0.3);
      assert.equal(applyScale(1000, 0.01, -273.15), -263.15);
      assert.equal(applyScale(7, 1, 0), 7);
    });
  });

  describe('encoding is the inverse', () => {
    const orders: WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];
    const samples: [Parameters<typeof encodeRegisters>[0], number][] = [
      ['uint16', 65535],
      ['int16', -32768],
      ['uint32', 4294967295],
      ['int32', -2147483648],
      ['float32', 3.1415927],
      ['float32', -0.5],
    ];
    for (const order of orders) {
      it(`round-trips every type in ${order}`, () => {
        for (const [type, value] of samples) {
          assert.equal(decodeRegisters(type, order, encodeRegisters(type, order, value)), value, `${type} ${value}`);
        }
      });
    }

    it('lays π out exactly as the wire table above', () => {
      for (const order of orders) assert.deepEqual(encodeRegisters('float32', order, Math.PI), PI_ON_THE_WIRE[order]);
    });

    it('refuses values a type cannot hold', () => {
      assert.throws(() => encodeRegisters('uint16', 'ABCD', 65536), /does not fit uint16/);
      assert.throws(() => encodeRegisters('int16', 'ABCD', 1.5), RangeError);
    });

    it('removes scale and sets bits', () => {
      assert.equal(removeScale(21.5, 0.1, 0, 'int16'), 215);
      assert.equal(withRegisterBit(0, 3, true), 8);
      assert.equal(withRegisterBit(0xffff, 0, false), 0xfffe);
    });
  });
});

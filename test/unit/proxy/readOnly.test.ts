import assert from 'node:assert/strict';
import { readOnlyRefusal } from '../../../gateway/proxy/readOnly';

const diagnostics = (subFunction: number) => Buffer.of(8, subFunction >> 8, subFunction & 0xff, 0, 0);

describe('read-only beyond the function code', () => {
  it('allows FC 8 sub-functions that read: 0x0000, 0x0002 and the counters 0x000B–0x0012', () => {
    for (const sub of [0x0000, 0x0002, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011, 0x0012]) {
      assert.equal(readOnlyRefusal(diagnostics(sub)), undefined, `0x${sub.toString(16)}`);
    }
  });

  it('refuses every other FC 8 sub-function, naming it', () => {
    for (const sub of [0x0001, 0x0003, 0x0004, 0x000a, 0x0013, 0x0014, 0x0015, 0xffff]) {
      assert.match(readOnlyRefusal(diagnostics(sub)) ?? '', new RegExp(`0x${sub.toString(16).padStart(4, '0')}`));
    }
    assert.match(readOnlyRefusal(Buffer.of(8, 0)) ?? '', /without a sub-function/);
  });

  it('allows FC 43 with MEI 14 only', () => {
    assert.equal(readOnlyRefusal(Buffer.of(0x2b, 14, 1, 0)), undefined);
    assert.match(readOnlyRefusal(Buffer.of(0x2b, 13, 0, 0)) ?? '', /MEI type 13/);
    assert.match(readOnlyRefusal(Buffer.of(0x2b)) ?? '', /no MEI type/);
  });

  it('leaves other function codes to the function-code filter', () => {
    assert.equal(readOnlyRefusal(Buffer.of(3, 0, 0, 0, 1)), undefined);
  });
});

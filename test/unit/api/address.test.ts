import assert from 'node:assert/strict';
import { formatAddress, parseAddress } from '../../../gateway/api/address';

describe('address parser', () => {
  const good: [string, object][] = [
    ['HR:0', { table: 'holdingRegister', offset: 0, form: 'table' }],
    ['ir:7', { table: 'inputRegister', offset: 7, form: 'table' }],
    ['CO:12', { table: 'coil', offset: 12, form: 'table' }],
    ['DI:3', { table: 'discreteInput', offset: 3, form: 'table' }],
    ['HR:10.3', { table: 'holdingRegister', offset: 10, bit: 3, form: 'table' }],
    ['40001', { table: 'holdingRegister', offset: 0, form: 'modicon' }],
    ['400001', { table: 'holdingRegister', offset: 0, form: 'modicon' }],
    ['465536', { table: 'holdingRegister', offset: 65535, form: 'modicon' }],
    ['30010', { table: 'inputRegister', offset: 9, form: 'modicon' }],
    ['10001', { table: 'discreteInput', offset: 0, form: 'modicon' }],
    ['1', { table: 'coil', offset: 0, form: 'modicon' }],
    [' HR:5 ', { table: 'holdingRegister', offset: 5, form: 'table' }],
  ];
  for (const [text, address] of good) {
    it(`reads "${text}"`, () => assert.deepEqual(parseAddress(text), { ok: true, address }));
  }

  const bad: [string, RegExp][] = [
    ['XX:1', /unknown table "XX"/],
    ['HR:65536', /beyond 65535/],
    ['CO:1.2', /needs a register table/],
    ['HR:1.16', /bit 16/],
    ['40000', /offset 0/],
    ['50001', /starts with 5/],
    ['4000001', /more than six digits/],
    ['0', /zero/],
    ['holding 1', /cannot read address/],
  ];
  for (const [text, message] of bad) {
    it(`refuses "${text}"`, () => {
      const result = parseAddress(text);
      assert.ok(!result.ok);
      assert.match(result.error, message);
    });
  }

  it('formats back to the table form', () => {
    assert.equal(formatAddress({ table: 'holdingRegister', offset: 10, bit: 3 }), 'HR:10.3');
    assert.equal(formatAddress({ table: 'discreteInput', offset: 0 }), 'DI:0');
  });
});

import assert from 'node:assert/strict';
import { formatValue, parseStart, parseTypedValue, renderRows, type RowFormat } from '../../../gateway/api/codec/registerFormats';

const f = (kind: RowFormat['kind'], order: RowFormat['order'] = 'ABCD'): RowFormat => ({ kind, order });

describe('register display formats', () => {
  it('shows one register in each one-row format', () => {
    assert.equal(formatValue(f('unsigned'), [0xfffe]), '65534');
    assert.equal(formatValue(f('signed'), [0xfffe]), '-2');
    assert.equal(formatValue(f('hex'), [0x1f]), '0x001F');
    assert.equal(formatValue(f('binary'), [0x8001]), '1000 0000 0000 0001');
    assert.equal(formatValue(f('ascii'), [0x4142]), '"AB"');
    assert.equal(formatValue(f('bcd'), [0x1234]), '1234');
    assert.equal(formatValue(f('bcd'), [0x12a4]), undefined);
  });

  it('shows 32- and 64-bit values over two and four rows in each word order', () => {
    assert.equal(formatValue(f('float32', 'CDAB'), [0x199a, 0x4366]), '230.1');
    assert.equal(formatValue(f('float32', 'ABCD'), [0x4366, 0x199a]), '230.1');
    assert.equal(formatValue(f('int32', 'ABCD'), [0xffff, 0xfffe]), '-2');
    assert.equal(formatValue(f('float64'), [0x4009, 0x21fb, 0x5444, 0x2d18]), String(Math.PI));
    const rows = renderRows([0x199a, 0x4366, 7, undefined], (row) => (row === 0 ? f('float32', 'CDAB') : f('unsigned')));
    assert.deepEqual(rows, [{ text: '230.1' }, { text: '', partOf: 0 }, { text: '7' }, { text: '' }]);
  });

  it('marks a value whose second register could not be read as invalid', () => {
    const rows = renderRows([1, undefined], () => f('int32'));
    assert.deepEqual(rows[0], { text: '—', invalid: true });
  });

  it('reads start addresses in the device base and Modicon numbers', () => {
    assert.deepEqual(parseStart('HR:100', 'coil', 0), { ok: true, table: 'holdingRegister', offset: 100 });
    assert.deepEqual(parseStart('100', 'inputRegister', 1), { ok: true, table: 'inputRegister', offset: 99 });
    assert.deepEqual(parseStart('40101', 'coil', 0), { ok: true, table: 'holdingRegister', offset: 100 });
    assert.equal(parseStart('0', 'holdingRegister', 1).ok, false);
    assert.equal(parseStart('HR:10.2', 'holdingRegister', 0).ok, false);
  });

  it('reads typed values in the cell format', () => {
    assert.deepEqual(parseTypedValue(f('hex'), '0x1f'), { ok: true, value: 31 });
    assert.deepEqual(parseTypedValue(f('binary'), '1000 0001'), { ok: true, value: 129 });
    assert.deepEqual(parseTypedValue(f('ascii'), 'AB'), { ok: true, value: 0x4142 });
    assert.deepEqual(parseTypedValue(f('int64'), '-9007199254740993'), { ok: true, value: '-9007199254740993' });
    assert.equal(parseTypedValue(f('float32'), 'abc').ok, false);
    assert.equal(parseTypedValue(f('hex'), '12345').ok, false);
  });
});

import assert from 'node:assert/strict';
import { RangeModel } from '../../../webviews/registers/rangeModel';

describe('Registers page model', () => {
  it('merges reads, keeps errors on their rows only, and notes changed rows', () => {
    const model = new RangeModel();
    model.setRange({ table: 'holdingRegister', start: 100, count: 4, pollMs: 0 });
    model.apply([{ start: 100, count: 2, ts: 1, values: [1, 2] }, { start: 102, count: 2, ts: 1, error: 'exception 02 (illegal data address)', exceptionCode: 2 }]);
    assert.equal(model.slots[3].error, 'exception 02 (illegal data address)');
    assert.equal(model.text(0).text, '1');
    const changed = model.apply([{ start: 100, count: 2, ts: 2, values: [1, 5] }], 2);
    assert.deepEqual(changed, [1]);
    assert.equal(model.slots[1].changedAt, 2);
    assert.equal(model.slots[1].ts, 2);
  });

  it('lays a float32 CDAB over two rows and copies the selection as TSV in the device base', () => {
    const model = new RangeModel();
    model.addressBase = 1;
    model.setRange({ table: 'holdingRegister', start: 20, count: 3, pollMs: 0 });
    model.apply([{ start: 20, count: 3, ts: 1, values: [0x199a, 0x4366, 9] }]);
    model.setFormat([0], { kind: 'float32', order: 'CDAB' });
    assert.equal(model.text(0).text, '230.1');
    assert.equal(model.ownerOf(1), 0);
    assert.equal(model.asTsv([0, 1, 2]), 'address\tvalue\tformat\nHR:21\t230.1\tfloat32 CDAB\nHR:23\t9\tunsigned\n');
    assert.deepEqual(model.formatEntries(), [{ offset: 20, format: { kind: 'float32', order: 'CDAB' } }]);
  });
});

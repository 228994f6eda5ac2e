import assert from 'node:assert/strict';
import type { TagValue } from '../../../gateway/api/channel';
import { ChangeFilter } from '../../../gateway/mqtt/changeFilter';

const reading = (value: TagValue['value'], extra: Partial<TagValue> = {}): TagValue => ({ device: 'd', tag: 't', value, quality: 'good', ts: 0, ...extra });

describe('mqtt ChangeFilter', () => {
  it('"change" with a deadband: measured from the last value published, so drift adds up', () => {
    const filter = new ChangeFilter('change', 1);
    assert.equal(filter.admit(reading(10)), true);
    assert.equal(filter.admit(reading(10.6)), false);
    assert.equal(filter.admit(reading(11)), false, 'exactly the deadband is not beyond it');
    assert.equal(filter.admit(reading(11.2)), true, 'drift of 1.2 from 10');
    assert.equal(filter.admit(reading(10.5)), false);
  });

  it('a quality or error change always goes out; booleans on every flip', () => {
    const filter = new ChangeFilter('change', 100);
    filter.admit(reading(5));
    assert.equal(filter.admit(reading(5, { quality: 'stale', error: 'link lost' })), true);
    assert.equal(filter.admit(reading(5, { quality: 'stale', error: 'timeout' })), true);
    assert.equal(filter.admit(reading(true, { tag: 'b' })), true);
    assert.equal(filter.admit(reading(true, { tag: 'b' })), false);
    assert.equal(filter.admit(reading(false, { tag: 'b' })), true);
  });

  it('"scan" admits every reading; forget() makes the next reading go out', () => {
    const scan = new ChangeFilter('scan', 100);
    assert.equal(scan.admit(reading(1)), true);
    assert.equal(scan.admit(reading(1)), true);
    const change = new ChangeFilter('change', 0);
    change.admit(reading(1));
    assert.equal(change.admit(reading(1)), false);
    change.forget('d');
    assert.equal(change.admit(reading(1)), true);
  });
});

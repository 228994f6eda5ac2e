import * as assert from 'node:assert/strict';
import { describeTag, formatDuration, formatNumber, formatRaw, formatReading, formatValue, formatValueWithUnit, readAndChanged } from '../../../extension/devices/format';
import type { TagSummary } from '../../../gateway/api';

describe('extension/devices/format', () => {
  it('shows integers as they are and floats to eight significant digits', () => {
    assert.equal(formatNumber(42), '42');
    assert.equal(formatNumber(-1234), '-1234');
    assert.equal(formatNumber(123456789), '123456789');
    assert.equal(formatNumber(Math.fround(Math.PI)), '3.1415927');
    assert.equal(formatNumber(215 * 0.1), '21.5');
    assert.equal(formatNumber(0.1 + 0.2), '0.3');
    assert.equal(formatNumber(Number.NaN), 'NaN');
  });

  it('formats booleans, missing values and units', () => {
    assert.equal(formatValue(true), 'true');
    assert.equal(formatValue(false), 'false');
    assert.equal(formatValue(null), '—');
    assert.equal(formatValueWithUnit(215 * 0.1, '°C'), '21.5 °C');
    assert.equal(formatValueWithUnit(true, 'x'), 'true');
    assert.equal(formatValueWithUnit(null, '°C'), '—');
  });

  it('describes a tag by its quality', () => {
    const tag = (value: TagSummary['value']): TagSummary => ({ name: 't', address: 'HR:0', type: 'int16', unit: 'V', value });
    const reading = { device: 'd', tag: 't', value: 5, ts: 1 };
    assert.equal(describeTag(tag(undefined)), '…');
    assert.equal(describeTag(tag({ ...reading, quality: 'good' })), '5 V');
    assert.equal(describeTag(tag({ ...reading, quality: 'stale' })), '5 V (stale)');
    assert.equal(describeTag(tag({ ...reading, value: null, quality: 'bad', error: 'timeout' })), 'bad');
  });

  it('shows the exact text of a 64-bit integer, and a string tag quoted', () => {
    // 2^64 − 1 is 18446744073709551616 as a double; the text keeps the last digit.
    assert.equal(formatValue(18446744073709551615, '18446744073709551615'), '18446744073709551615');
    assert.equal(formatValueWithUnit(9007199254740993, 'Wh', '9007199254740993'), '9007199254740993 Wh');
    assert.equal(formatValue(null, 'PUMP-01'), '"PUMP-01"');
    assert.equal(formatValue(null, 'a\u0000b '), '"a\\u0000b "');
    assert.equal(formatValueWithUnit(null, 'x', 'hello'), '"hello"');
    assert.equal(formatReading({ value: null, text: '' }, undefined), '""');
    assert.equal(formatReading(undefined, 'V'), '—');
  });

  it('describes a string or 64-bit tag by its text', () => {
    const tag = (type: string, value: TagSummary['value']): TagSummary => ({ name: 't', address: 'HR:0', type, unit: 'Wh', value });
    const reading = { device: 'd', tag: 't', ts: 1 };
    assert.equal(describeTag(tag('uint64', { ...reading, value: 2 ** 64, text: '18446744073709551615', quality: 'good' })), '18446744073709551615 Wh');
    assert.equal(describeTag(tag('string', { ...reading, value: null, text: 'PUMP', quality: 'good' })), '"PUMP"');
    assert.equal(describeTag(tag('string', { ...reading, value: null, text: 'PUMP', quality: 'stale' })), '"PUMP" (stale)');
    assert.equal(describeTag(tag('string', { ...reading, value: null, quality: 'bad', error: 'timeout' })), 'bad');
  });

  it('formats raw registers in hex and bits as digits', () => {
    assert.equal(formatRaw([0x4049, 0x0fdb], false), '0x4049 0x0FDB');
    assert.equal(formatRaw([1, 0], true), '1 0');
    assert.equal(formatRaw([], false), undefined);
  });

  it('says durations the way people do', () => {
    assert.equal(formatDuration(500), '500 ms');
    assert.equal(formatDuration(1500), '1.5 s');
    assert.equal(formatDuration(8246), '8.2 s');
    assert.equal(formatDuration(90_000), '1.5 min');
  });

  it('says when a value was last read and, apart, when it last changed', () => {
    const time = (ms: number) => `t${ms}`;
    assert.equal(readAndChanged({ ts: 180_000, changedAt: 0, quality: 'good' }, time), 'Read at t180000 · changed at t0');
    assert.equal(readAndChanged({ ts: 5, changedAt: 5, quality: 'good' }, time), 'Read at t5 (changed then)');
    assert.equal(readAndChanged({ ts: 5, quality: 'good' }, time), 'Read at t5 (changed then)');
    assert.equal(readAndChanged({ ts: 9, changedAt: 2, quality: 'stale' }, time), 'Last read at t9 · changed at t2');
  });
});

import assert from 'node:assert/strict';
import { decodeSparkplug, encodeSparkplug, sparkplugType } from '../../../gateway/mqtt/sparkplugCodec';
import { SparkplugSequence } from '../../../gateway/mqtt/sparkplugSequence';
import { dcmdDevice } from '../../../gateway/mqtt/sparkplugTopics';

describe('mqtt Sparkplug B pieces', () => {
  it('seq: the birth is 0, then one more per message, 255 wraps to 0; bdSeq moves on per connection and wraps too', () => {
    const sequence = new SparkplugSequence();
    assert.equal(sequence.birth(), 0);
    const seqs = Array.from({ length: 300 }, () => sequence.next());
    assert.deepEqual(seqs.slice(253, 258), [254, 255, 0, 1, 2]);
    assert.equal(sequence.birth(), 0);
    assert.equal(sequence.next(), 1);
    assert.equal(sequence.bdSeq, 0);
    for (let i = 0; i < 255; i++) sequence.nextConnection();
    assert.equal(sequence.bdSeq, 255);
    assert.equal(sequence.nextConnection(), 0);
  });

  it('datatypes follow the tag type; a scale or offset makes a number Double', () => {
    assert.equal(sparkplugType({ type: 'int16', scale: 1, offset: 0 }), 'Int16');
    assert.equal(sparkplugType({ type: 'bcd32', scale: 1, offset: 0 }), 'UInt32');
    assert.equal(sparkplugType({ type: 'uint16', scale: 0.1, offset: 0 }), 'Double');
    assert.equal(sparkplugType({ type: 'bool', scale: 2, offset: 0 }), 'Boolean');
  });

  it('64-bit metrics keep every digit through encode and decode', () => {
    const big = '9007199254740993'; // 2^53 + 1: no double holds it
    const payload = decodeSparkplug(encodeSparkplug({ timestamp: 1, seq: 3, metrics: [{ name: 'n', type: 'UInt64', value: big as unknown as number }] }));
    assert.equal(String(payload.metrics?.[0].value), big);
    assert.equal(String(payload.seq), '3');
  });

  it('a DCMD topic names one device of this node', () => {
    const ids = { group: 'G', node: 'N' };
    assert.equal(dcmdDevice(ids, 'spBv1.0/G/DCMD/N/Pump 1'), 'Pump 1');
    assert.equal(dcmdDevice(ids, 'spBv1.0/G/DCMD/M/Pump 1'), undefined);
    assert.equal(dcmdDevice(ids, 'spBv1.0/G/DCMD/N/'), undefined);
  });
});

import assert from 'node:assert/strict';
import { parseSetTopic, valuePayload } from '../../../gateway/mqtt/jsonTopics';
import { parseWritePayload } from '../../../gateway/mqtt/writeBack';

describe('mqtt JSON topics and write payloads', () => {
  it('parses prefix/device/tag/set under a multi-level prefix, and nothing else', () => {
    assert.deepEqual(parseSetTopic('site/a', 'site/a/Pump 1/speed/set'), { device: 'Pump 1', tag: 'speed' });
    assert.equal(parseSetTopic('site/a', 'site/a/Pump 1/speed'), undefined);
    assert.equal(parseSetTopic('site/a', 'site/a/Pump 1/speed/set/result'), undefined);
    assert.equal(parseSetTopic('site/a', 'site/b/Pump 1/speed/set'), undefined);
    assert.equal(parseSetTopic('site/a', 'site/a/x/y/z/set'), undefined);
  });

  it('a value payload has value, quality and ts, and error/text only when there are some', () => {
    assert.deepEqual(JSON.parse(valuePayload({ device: 'd', tag: 't', value: 1.5, quality: 'good', ts: 7, raw: [1] })), { value: 1.5, quality: 'good', ts: 7 });
    assert.deepEqual(JSON.parse(valuePayload({ device: 'd', tag: 't', value: null, quality: 'bad', ts: 7, error: 'exception 02' })), { value: null, quality: 'bad', ts: 7, error: 'exception 02' });
  });

  it('takes {"value": …}, a bare JSON value or bare text; explains anything else', () => {
    assert.deepEqual(parseWritePayload(Buffer.from('{"value": 12.5}')), { ok: true, value: 12.5 });
    assert.deepEqual(parseWritePayload(Buffer.from(' true ')), { ok: true, value: true });
    assert.deepEqual(parseWritePayload(Buffer.from('on')), { ok: true, value: 'on' });
    assert.deepEqual(parseWritePayload(Buffer.from('"text"')), { ok: true, value: 'text' });
    assert.match((parseWritePayload(Buffer.from('')) as { error: string }).error, /the message is empty/);
    assert.match((parseWritePayload(Buffer.from('{"v": 1}')) as { error: string }).error, /has no "value"/);
    assert.match((parseWritePayload(Buffer.from('[1,2]')) as { error: string }).error, /\[1,2\] is not a value to write/);
  });
});

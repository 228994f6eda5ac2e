import * as assert from 'node:assert/strict';
import { DeviceModel } from '../../../extension/devices/deviceModel';
import type { DeviceSnapshot } from '../../../gateway/api';

function snapshot(name: string, state: DeviceSnapshot['status']['state'] = 'connected'): DeviceSnapshot {
  return {
    name,
    endpoint: `tcp://${name}:502 #1`,
    unitId: 1,
    pollMs: 1000,
    status: { device: name, state, since: 0 },
    tags: [
      { name: 'a', address: 'HR:0', type: 'uint16' },
      { name: 'b', address: 'HR:1', type: 'uint16' },
    ],
  };
}

describe('extension/devices/deviceModel', () => {
  it('keeps the gateway order and counts connected devices', () => {
    const model = new DeviceModel();
    model.replace([snapshot('z'), snapshot('a', 'error')]);
    assert.deepEqual(model.names(), ['z', 'a']);
    assert.equal(model.connectedCount, 1);
    assert.equal(model.size, 2);
  });

  it('counts a connected device that does not answer as not OK', () => {
    const model = new DeviceModel();
    model.replace([snapshot('z'), snapshot('a', 'notAnswering'), snapshot('b', 'notAnswering')]);
    assert.equal(model.connectedCount, 1);
    assert.equal(model.notAnsweringCount, 2);
  });

  it('applies values and reports which tags they touched', () => {
    const model = new DeviceModel();
    model.replace([snapshot('x'), snapshot('y')]);
    const touched = model.applyValues([
      { device: 'x', tag: 'a', value: 1, quality: 'good', ts: 10 },
      { device: 'x', tag: 'missing', value: 1, quality: 'good', ts: 10 },
      { device: 'nope', tag: 'a', value: 1, quality: 'good', ts: 10 },
    ]);
    assert.deepEqual(touched, [['x', 'a']]);
    assert.equal(model.tag('x', 'a')?.value?.value, 1);
    assert.equal(model.get('x')?.tags[0].value?.value, 1, 'the snapshot sees the same tag object');
  });

  it('never rolls a value back to an older read', () => {
    const model = new DeviceModel();
    model.replace([snapshot('x')]);
    model.applyValues([{ device: 'x', tag: 'a', value: 2, quality: 'good', ts: 20 }]);
    const touched = model.applyValues([{ device: 'x', tag: 'a', value: 1, quality: 'good', ts: 10 }]);
    assert.equal(touched.length, 0);
    assert.equal(model.tag('x', 'a')?.value?.value, 2);
  });

  it('applies status only to known devices and does not mutate its input', () => {
    const input = [snapshot('x', 'connecting')];
    const model = new DeviceModel();
    model.replace(input);
    assert.equal(model.applyStatus({ device: 'x', state: 'connected', since: 5 }), true);
    assert.equal(model.applyStatus({ device: 'q', state: 'connected', since: 5 }), false);
    assert.equal(model.get('x')?.status.state, 'connected');
    model.applyValues([{ device: 'x', tag: 'a', value: 1, quality: 'good', ts: 10 }]);
    assert.equal(input[0].status.state, 'connecting');
    assert.equal(input[0].tags[0].value, undefined);
  });

  it('moves the read time of good tags of the scanned period on, keeping when they changed', () => {
    const model = new DeviceModel();
    const device = snapshot('x');
    device.tags[1].scanMs = 5000;
    model.replace([device]);
    model.applyValues([
      { device: 'x', tag: 'a', value: 7, quality: 'good', ts: 10, changedAt: 10 },
      { device: 'x', tag: 'b', value: 8, quality: 'good', ts: 10, changedAt: 10 },
    ]);
    assert.equal(model.applyRead({ device: 'x', scanMs: 1000, at: 3000 }), 1, 'only tag a is read at the device poll rate');
    assert.deepEqual(model.tag('x', 'a')?.value, { device: 'x', tag: 'a', value: 7, quality: 'good', ts: 3000, changedAt: 10 });
    assert.equal(model.tag('x', 'b')?.value?.ts, 10);
    assert.equal(model.applyRead({ device: 'x', scanMs: 1000, at: 2000 }), 0, 'an older tick changes nothing');
    assert.equal(model.applyRead({ device: 'nope', scanMs: 1000, at: 4000 }), 0);
  });

  it('does not move the read time of a bad or stale tag: it was not read', () => {
    const model = new DeviceModel();
    model.replace([snapshot('x')]);
    model.applyValues([
      { device: 'x', tag: 'a', value: 7, quality: 'stale', ts: 10, error: 'connection refused' },
      { device: 'x', tag: 'b', value: null, quality: 'bad', ts: 10, error: 'no reply' },
    ]);
    assert.equal(model.applyRead({ device: 'x', scanMs: 1000, at: 3000 }), 0);
    assert.equal(model.tag('x', 'a')?.value?.ts, 10);
  });
});

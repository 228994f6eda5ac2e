import assert from 'node:assert/strict';
import type { DeviceSnapshot } from '../../../gateway/api/channel';
import { ReadinessTracker } from '../../../gateway/metrics/readiness';

function device(name: string, state: DeviceSnapshot['status']['state']): DeviceSnapshot {
  return { name, endpoint: `tcp://127.0.0.1:502 #1`, unitId: 1, pollMs: 1000, status: { device: name, state, since: 0 }, tags: [] };
}

describe('metrics/readiness: /readyz', () => {
  it('is not ready before the configuration is applied', () => {
    assert.deepEqual(new ReadinessTracker().check([], () => true), { ready: false, why: 'the configuration is not applied yet' });
  });

  it('waits for every enabled device to end its first attempt, either way, and ignores disabled ones', () => {
    const tracker = new ReadinessTracker();
    tracker.noteConfigLoaded();
    const enabled = (name: string) => name !== 'off';
    assert.deepEqual(tracker.check([device('a', 'connecting'), device('b', 'connecting'), device('off', 'disabled')], enabled), {
      ready: false,
      why: 'not tried yet: a, b',
    });
    tracker.noteStatus({ device: 'a', state: 'error', since: 0, lastError: 'refused' });
    assert.deepEqual(tracker.check([device('a', 'connecting'), device('b', 'connecting'), device('off', 'disabled')], enabled), { ready: false, why: 'not tried yet: b' });
    // Seen in the snapshot is as good as an event: a device connected before anyone listened.
    assert.deepEqual(tracker.check([device('a', 'connecting'), device('b', 'notAnswering'), device('off', 'disabled')], enabled), { ready: true });
    // Once tried, a device reconnecting again does not make the gateway unready.
    assert.deepEqual(tracker.check([device('a', 'connecting'), device('b', 'connecting'), device('off', 'disabled')], enabled), { ready: true });
  });
});

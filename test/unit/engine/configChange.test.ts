import assert from 'node:assert/strict';
import { Device, type DeviceInput } from '../../../gateway/api/config';
import { deviceChange } from '../../../gateway/engine/configChange';

const device = (extra: Partial<DeviceInput> = {}) =>
  Device.parse({ name: 'Plc', transport: { kind: 'tcp', host: '10.0.0.5', port: 502 }, tags: [{ name: 'a', address: 'HR:0' }], ...extra });

describe('what an apply does to a device that stays', () => {
  it('nothing when the device is the same', () => {
    assert.equal(deviceChange(device(), device()), 'none');
  });

  it('re-plans the scan, keeping the connection, for tags, poll rate, limits, base and read-only', () => {
    const edits: Partial<DeviceInput>[] = [
      { tags: [{ name: 'a', address: 'HR:0' }, { name: 'b', address: 'HR:1', type: 'int16', scale: 0.1 }] },
      { pollMs: 250 },
      { maxRegistersPerRead: 60 },
      { maxBitsPerRead: 100 },
      { maxRegisterGap: 0 },
      { addressBase: 1 },
      { readOnly: true },
    ];
    for (const edit of edits) assert.equal(deviceChange(device(), device(edit)), 'scan', JSON.stringify(edit));
  });

  it('reconnects for anything about the connection itself', () => {
    const edits: Partial<DeviceInput>[] = [
      { transport: { kind: 'tcp', host: '10.0.0.6', port: 502 } },
      { transport: { kind: 'rtutcp', host: '10.0.0.5', port: 502 } },
      { unitId: 2 },
      { timeoutMs: 2000 },
      { retries: 0 },
      { enabled: false },
      { delayAfterConnectMs: 100 },
      { minGapMs: 5 },
      { maxInFlight: 4 },
      { replyUnitId: 'any' },
      { reconnectAfterTimeouts: 5 },
    ];
    for (const edit of edits) assert.equal(deviceChange(device(), device(edit)), 'connection', JSON.stringify(edit));
  });

  it('reconnects when a tag edit comes with a connection change', () => {
    assert.equal(deviceChange(device(), device({ pollMs: 250, unitId: 3 })), 'connection');
  });
});

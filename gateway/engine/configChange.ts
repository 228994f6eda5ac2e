/**
 * What an apply must do to a device that stays (same name): nothing, re-plan its
 * scan on the open connection, or reconnect. Reconnecting is what an engineer
 * notices (a device that allows one connection may lock them out in between), so
 * it happens only when a setting of the connection itself changed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Device } from '../api/config';

/** Settings only the poller and the write path use: changing them never touches the connection. */
const SCAN_SETTINGS = ['tags', 'pollMs', 'addressBase', 'readOnly', 'maxRegistersPerRead', 'maxBitsPerRead', 'maxRegisterGap'] as const;

export type DeviceChange = 'none' | 'scan' | 'connection';

/**
 * 'none': identical. 'scan': only scan settings differ, the session stays. 'connection':
 * anything else (transport, unit, timeouts, enabled, a setting added later): a new session.
 */
export function deviceChange(before: Device, after: Device): DeviceChange {
  if (isDeepStrictEqual(before, after)) return 'none';
  return isDeepStrictEqual(withoutScanSettings(before), withoutScanSettings(after)) ? 'scan' : 'connection';
}

function withoutScanSettings(device: Device): Partial<Device> {
  const rest: Partial<Device> = { ...device };
  for (const key of SCAN_SETTINGS) delete rest[key];
  return rest;
}

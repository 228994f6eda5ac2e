/**
 * The machine's serial ports for the extension's port picker (a port can always be
 * typed by hand as well).
 *
 * On Linux the gateway reads the ports from sysfs itself, so the list never depends on
 * udev (containers, WSL and CI runners often have none, and serialport's listing then
 * fails with `spawn udevadm ENOENT`). Where serialport's listing works, what it knows is
 * merged in; where it fails, its error is logged and the sysfs list stands.
 * Empty strings and missing fields are dropped: optional fields mean "the driver did not say".
 */
import type { Logger } from '../engine/logger';
import { SerialPort } from 'serialport';
import type { SerialPortInfo } from '../api/operations';
import { listSysfsSerialPorts } from './sysfsSerialPorts';

export interface SerialPortListing {
  /** serialport's own listing (udev on Linux); replaceable for tests. */
  listWithSerialport?: () => Promise<Array<Partial<Record<string, unknown>> & { path: string }>>;
  /** The sysfs reader, rooted elsewhere for tests; null where there is no sysfs. */
  listFromSysfs?: (() => SerialPortInfo[]) | null;
  /** Told (at debug level) why serialport's listing failed when the sysfs list stands in for it. */
  logger?: Logger;
}

const FIELDS = ['manufacturer', 'serialNumber', 'vendorId', 'productId', 'pnpId'] as const;

export async function listSerialPorts(listing: SerialPortListing = {}): Promise<SerialPortInfo[]> {
  const fromSysfs = listing.listFromSysfs === undefined ? (process.platform === 'linux' ? () => listSysfsSerialPorts() : null) : listing.listFromSysfs;
  const listWithSerialport = listing.listWithSerialport ?? (() => SerialPort.list());

  const byPath = new Map<string, SerialPortInfo>();
  for (const port of fromSysfs?.() ?? []) byPath.set(port.path, port);

  try {
    for (const port of await listWithSerialport()) {
      const info: SerialPortInfo = byPath.get(port.path) ?? { path: port.path };
      for (const key of FIELDS) {
        const value = port[key];
        if (info[key] === undefined && typeof value === 'string' && value.trim() !== '') info[key] = value.trim();
      }
      byPath.set(port.path, info);
    }
  } catch (error) {
    // Without sysfs there is nothing to fall back on: the picker says why it is empty.
    if (!fromSysfs) throw error;
    listing.logger?.log('debug', `serial ports listed from sysfs: serialport's listing failed (${error instanceof Error ? error.message : String(error)})`);
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

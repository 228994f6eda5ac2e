/**
 * Linux serial ports read straight from /dev and sysfs, without udev.
 *
 * serialport's own listing on Linux spawns `udevadm info -e`; containers, WSL,
 * devcontainers and CI runners often have no udev, and then the listing fails with
 * `spawn udevadm ENOENT` (serialport/node-serialport#2185). The kernel already says
 * everything udev would: which ttys have hardware behind them (sysfs), the USB
 * descriptors (manufacturer, serial number, vendor and product ids), and the stable
 * names users put in their configs (/dev/serial/by-id, made by udev when it runs).
 *
 * `root` is the filesystem root to read from, so tests can lay out a tree of their own.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { SerialPortInfo } from '../api/operations';

/**
 * Names that are serial ports whenever their /dev node exists: USB adapters (FTDI,
 * CH340, CP210x: ttyUSB; CDC-ACM devices: ttyACM), the Raspberry Pi's PL011 (ttyAMA),
 * Bluetooth serial (rfcomm), and other vendors' USB-serial drivers.
 */
const ALWAYS_SERIAL = /^(ttyUSB|ttyACM|ttyAMA|rfcomm|ttyXRUSB|ttyWCH|ttyCH343USB)\d+$/;

/** Every tty with hardware behind it that is not a console or pseudo-terminal. */
const HARDWARE_TTY = /^(tty[A-Za-z]+\d+|rfcomm\d+)$/;

export function listSysfsSerialPorts(root = '/'): SerialPortInfo[] {
  const dev = path.join(root, 'dev');
  const classTty = path.join(root, 'sys/class/tty');
  const stableNames = stableNamesByTarget(root);
  const names = new Set<string>();

  for (const name of safeReaddir(classTty)) {
    if (HARDWARE_TTY.test(name) && hasHardware(path.join(classTty, name), name)) names.add(name);
  }
  // Without sysfs (some sandboxes hide it) the /dev names that are serial by nature still count.
  for (const name of safeReaddir(dev)) {
    if (ALWAYS_SERIAL.test(name)) names.add(name);
  }

  const ports: SerialPortInfo[] = [];
  for (const name of names) {
    const devicePath = path.join(dev, name);
    if (!existsSync(devicePath)) continue; // sysfs shows the host's ports; a container may have none of them
    const info: SerialPortInfo = { path: `/dev/${name}`, ...usbDescriptors(path.join(classTty, name)) };
    const stable = stableNames.get(name);
    if (stable) {
      info.stablePath = `/dev/serial/by-id/${stable}`;
      info.pnpId = stable;
    }
    ports.push(info);
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/**
 * A tty has hardware behind it when sysfs links it to a device. The 8250 driver
 * registers a fixed number of ttyS ports whether or not a UART exists; those report
 * UART type 0 (PORT_UNKNOWN), and opening one fails, so they are left out.
 */
function hasHardware(ttyDir: string, name: string): boolean {
  if (name.startsWith('rfcomm')) return true; // Bluetooth ttys have no device link
  if (!existsSync(path.join(ttyDir, 'device'))) return false;
  const type = readTrimmed(path.join(ttyDir, 'type'));
  return type === undefined || type !== '0';
}

/**
 * The USB descriptors of the device a tty hangs off, read from the nearest ancestor
 * folder in sysfs that has them (the interface's parent for ttyUSB and ttyACM).
 */
function usbDescriptors(ttyDir: string): Omit<SerialPortInfo, 'path'> {
  let dir: string;
  try {
    dir = realpathSync(path.join(ttyDir, 'device'));
  } catch {
    return {};
  }
  for (let depth = 0; depth < 6 && dir !== path.dirname(dir); depth++, dir = path.dirname(dir)) {
    const vendorId = readTrimmed(path.join(dir, 'idVendor'));
    if (vendorId === undefined) continue;
    const info: Omit<SerialPortInfo, 'path'> = { vendorId };
    const productId = readTrimmed(path.join(dir, 'idProduct'));
    const manufacturer = readTrimmed(path.join(dir, 'manufacturer'));
    const serialNumber = readTrimmed(path.join(dir, 'serial'));
    if (productId) info.productId = productId;
    if (manufacturer) info.manufacturer = manufacturer;
    if (serialNumber) info.serialNumber = serialNumber;
    return info;
  }
  return {};
}

/** tty name → its /dev/serial/by-id link name, the name that survives replugging. */
function stableNamesByTarget(root: string): Map<string, string> {
  const byId = path.join(root, 'dev/serial/by-id');
  const names = new Map<string, string>();
  for (const link of safeReaddir(byId).sort()) {
    try {
      const target = path.basename(readlinkSync(path.join(byId, link)));
      if (!names.has(target)) names.set(target, link);
    } catch {
      // Not a link: udev makes only links here.
    }
  }
  return names;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readTrimmed(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

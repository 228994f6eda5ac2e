import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listSerialPorts } from '../../../gateway/transport/serialPorts';
import { listSysfsSerialPorts } from '../../../gateway/transport/sysfsSerialPorts';

/**
 * A filesystem root laid out as a Linux machine without udev shows it: /dev nodes,
 * /sys/class/tty entries linked to their devices, USB descriptors on the USB device
 * folder two levels above the tty's interface, and (where udev once ran, or the host
 * bind-mounts it) /dev/serial/by-id links.
 */
class FakeRoot {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'bifrost-sysfs-'));

  file(relative: string, text = ''): this {
    const full = path.join(this.root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return this;
  }

  link(relative: string, target: string): this {
    const full = path.join(this.root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    symlinkSync(target, full);
    return this;
  }

  /** A tty in sysfs linked to a device folder; `type` is the UART type serial_core reports. */
  tty(name: string, device?: { folder: string; type?: string }): this {
    const ttyDir = `sys/devices/virtual/tty/${name}`;
    this.file(`${ttyDir}/dev`, '4:64\n');
    if (device) {
      this.file(`${device.folder}/uevent`);
      this.link(`${ttyDir}/device`, path.join(this.root, device.folder));
      if (device.type !== undefined) this.file(`${ttyDir}/type`, `${device.type}\n`);
    }
    return this.link(`sys/class/tty/${name}`, path.join(this.root, ttyDir));
  }

  usbAdapter(name: string, descriptors: Record<string, string>): this {
    const usbDevice = 'sys/devices/pci0000:00/0000:00:14.0/usb1/1-2';
    for (const [file, value] of Object.entries(descriptors)) this.file(`${usbDevice}/${file}`, `${value}\n`);
    return this.tty(name, { folder: `${usbDevice}/1-2:1.0/${name}` });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

describe('serial ports without udev (sysfs)', () => {
  let fake: FakeRoot;
  beforeEach(() => {
    fake = new FakeRoot();
  });
  afterEach(() => fake.dispose());

  it('lists a USB adapter with the fields udev gives and its /dev/serial/by-id name', () => {
    fake
      .usbAdapter('ttyUSB0', { idVendor: '0403', idProduct: '6001', manufacturer: 'FTDI', serial: 'A50285BI' })
      .file('dev/ttyUSB0')
      .link('dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', '../../ttyUSB0');

    assert.deepEqual(listSysfsSerialPorts(fake.root), [
      {
        path: '/dev/ttyUSB0',
        vendorId: '0403',
        productId: '6001',
        manufacturer: 'FTDI',
        serialNumber: 'A50285BI',
        stablePath: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
        pnpId: 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
      },
    ]);
  });

  it('keeps ttyS ports with a UART behind them and drops the 8250 placeholders (type 0)', () => {
    fake
      .tty('ttyS0', { folder: 'sys/devices/pnp0/00:00/00:00:0/00:00:0.0', type: '4' })
      .tty('ttyS1', { folder: 'sys/devices/platform/serial8250/serial8250:0/serial8250:0.1', type: '0' })
      .tty('ttyS2', { folder: 'sys/devices/platform/serial8250/serial8250:0/serial8250:0.2', type: '0' })
      .file('dev/ttyS0')
      .file('dev/ttyS1')
      .file('dev/ttyS2');

    assert.deepEqual(listSysfsSerialPorts(fake.root).map((port) => port.path), ['/dev/ttyS0']);
  });

  it('leaves out consoles and pseudo-terminals, and ports whose /dev node this container lacks', () => {
    fake
      .tty('tty0')
      .tty('tty12')
      .tty('ptmx')
      .tty('ttyAMA0', { folder: 'sys/devices/platform/soc/fe201000.serial' })
      .usbAdapter('ttyACM0', { idVendor: '2341', idProduct: '0043' })
      .file('dev/tty0')
      .file('dev/tty12')
      .file('dev/ptmx')
      .file('dev/ttyAMA0');
    // ttyACM0 is the host's, not passed into this container: no /dev node.

    assert.deepEqual(listSysfsSerialPorts(fake.root).map((port) => port.path), ['/dev/ttyAMA0']);
  });

  it('still finds serial-by-nature /dev nodes where sysfs is hidden, in numeric order', () => {
    for (const name of ['ttyUSB10', 'ttyUSB2', 'ttyACM0', 'rfcomm0', 'ttyS0', 'tty1']) fake.file(`dev/${name}`);

    // ttyS0 cannot be told from a placeholder without sysfs, so only a typed path reaches it.
    assert.deepEqual(listSysfsSerialPorts(fake.root).map((port) => port.path), ['/dev/rfcomm0', '/dev/ttyACM0', '/dev/ttyUSB2', '/dev/ttyUSB10']);
  });

  it('answers an empty list, not an error, on a root with neither /dev nor /sys', () => {
    assert.deepEqual(listSysfsSerialPorts(path.join(fake.root, 'nothing-here')), []);
  });
});

describe('serial.ports listing', () => {
  const sysfs = () => [{ path: '/dev/ttyUSB0', vendorId: '0403', stablePath: '/dev/serial/by-id/usb-FTDI-if00-port0' }];

  it('stands on the sysfs list when serialport cannot spawn udevadm, and says why', async () => {
    const warnings: string[] = [];
    const ports = await listSerialPorts({
      listFromSysfs: sysfs,
      listWithSerialport: () => Promise.reject(new Error('spawn udevadm ENOENT')),
      logger: { log: (_level, message) => warnings.push(message) },
    });
    assert.deepEqual(ports, sysfs());
    assert.match(warnings.join('\n'), /spawn udevadm ENOENT/);
  });

  it('merges what serialport knows into the sysfs entries, and adds ports only it lists', async () => {
    const ports = await listSerialPorts({
      listFromSysfs: sysfs,
      listWithSerialport: async () => [
        { path: '/dev/ttyUSB0', manufacturer: 'FTDI ', vendorId: 'ffff', serialNumber: '' },
        { path: '/dev/ttyS0', manufacturer: undefined },
      ],
    });
    assert.deepEqual(ports, [
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyUSB0', vendorId: '0403', stablePath: '/dev/serial/by-id/usb-FTDI-if00-port0', manufacturer: 'FTDI' },
    ]);
  });

  it('passes serialport\'s error on where there is no sysfs to fall back on (Windows, macOS)', async () => {
    await assert.rejects(
      listSerialPorts({ listFromSysfs: null, listWithSerialport: () => Promise.reject(new Error('SetupDiGetClassDevs failed')) }),
      /SetupDiGetClassDevs failed/,
    );
  });
});

/**
 * The machine's serial ports, as serialport lists them, for the extension's port
 * picker. Empty strings and missing fields are dropped: the contract's optional
 * fields mean "the driver did not say".
 */
import { SerialPort } from 'serialport';
import type { SerialPortInfo } from '../api/operations';

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const listed = await SerialPort.list();
  return listed
    .map((port) => {
      const info: SerialPortInfo = { path: port.path };
      for (const key of ['manufacturer', 'serialNumber', 'vendorId', 'productId'] as const) {
        const value = port[key];
        if (typeof value === 'string' && value.trim() !== '') info[key] = value.trim();
      }
      return info;
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Bit writes on devices without FC 22. Under `bitWrite: "auto"` a register bit is
 * written with mask write register (FC 22) until the device answers it with
 * exception 01 (illegal function); from then on, for the rest of the gateway's
 * life, that device's register bits are written by read (FC 3) – modify – write
 * (FC 6). The memory outlives a config apply: the device did not learn FC 22
 * because a tag was edited.
 *
 * Read-modify-write is not atomic: another master writing the same register
 * between the read and the write loses its change. FC 22 exists to avoid that;
 * this is the fallback, and the write preview says which one will be used.
 */
import type { Device } from '../api/config';
import { ModbusExceptionError } from '../protocol/errors';
import { ExceptionCode } from '../protocol/exceptions';
import { FunctionCode } from '../protocol/functionCodes';
import type { ModbusRequest } from '../protocol/requests';
import type { DeviceSession } from './session';
import { withBit, type BitWriteMethod, type TagWrite } from '../tags/writeRequest';

/** Devices (by name and endpoint) that refused FC 22, for the gateway's life. */
export class MaskWriteRefusals {
  private readonly refused = new Set<string>();

  has(key: string): boolean {
    return this.refused.has(key);
  }

  add(key: string): void {
    this.refused.add(key);
  }
}

/** The method a register bit of this device is written with now. */
export function bitWriteMethod(device: Pick<Device, 'bitWrite'>, refusedBefore: boolean): BitWriteMethod {
  if (device.bitWrite === 'readModifyWrite') return 'readModifyWrite';
  if (device.bitWrite === 'fc22') return 'fc22';
  return refusedBefore ? 'readModifyWrite' : 'fc22';
}

/** Whether `error` is the device saying it has no FC 22 for `write`. */
export function isMaskWriteRefusal(write: TagWrite, error: unknown): boolean {
  return (
    write.request.functionCode === FunctionCode.MaskWriteRegister &&
    error instanceof ModbusExceptionError &&
    error.exceptionCode === ExceptionCode.IllegalFunction
  );
}

/** Why the preview of a bit write reads, modifies and writes, in the user's words. */
export function readModifyWriteReason(device: Pick<Device, 'bitWrite'>): string {
  return device.bitWrite === 'readModifyWrite'
    ? 'bitWrite is "readModifyWrite" for this device'
    : 'this device refuses FC 22 (mask write register)';
}

/** Sends the write through `session` (both steps of a read-modify-write); returns the request that wrote. */
export async function sendTagWrite(session: Pick<DeviceSession, 'request' | 'device'>, write: TagWrite): Promise<ModbusRequest> {
  const rmw = write.readModifyWrite;
  if (!rmw) {
    await session.request(write.request);
    return write.request;
  }
  const response = await session.request(write.request);
  const word = 'registers' in response ? response.registers[0] : undefined;
  if (word === undefined) throw new Error(`${session.device}: reading holding register ${rmw.address} before changing bit ${rmw.bit} returned no register`);
  const request: ModbusRequest = { functionCode: FunctionCode.WriteSingleRegister, address: rmw.address, value: withBit(word, rmw.bit, rmw.on) };
  await session.request(request);
  return request;
}

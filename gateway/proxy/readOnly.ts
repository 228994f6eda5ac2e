/**
 * What "read-only" lets through beyond the function code. FC 8 (diagnostics) and
 * FC 43 (encapsulated interface) each carry many requests behind one code, and some
 * of them change the device: FC 8 sub-function 0x0001 restarts its communications,
 * 0x0004 forces listen-only mode (the device stops answering anyone until it is
 * power-cycled), 0x000A and 0x0014 clear its counters; FC 43 MEI type 13 is CANopen
 * general reference, which can write. Only the sub-functions that read pass.
 */
import { FunctionCode, MEI_READ_DEVICE_IDENTIFICATION } from '../protocol/functionCodes';

/** FC 8 sub-functions that only read: return query data, the diagnostic register, the counters. */
const READING_DIAGNOSTICS = new Set([0x0000, 0x0002, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011, 0x0012]);

/** Why a request of an allowed read-only function code is still refused, or undefined when it only reads. */
export function readOnlyRefusal(pdu: Buffer): string | undefined {
  const functionCode = pdu[0];
  if (functionCode === FunctionCode.Diagnostics) {
    if (pdu.length < 3) return 'diagnostics without a sub-function';
    const subFunction = pdu.readUInt16BE(1);
    if (READING_DIAGNOSTICS.has(subFunction)) return undefined;
    return `diagnostics sub-function 0x${subFunction.toString(16).padStart(4, '0')} can change the device (read-only allows 0x0000, 0x0002, 0x000B–0x0012)`;
  }
  if (functionCode === FunctionCode.EncapsulatedInterface) {
    if (pdu.length >= 2 && pdu[1] === MEI_READ_DEVICE_IDENTIFICATION) return undefined;
    const mei = pdu.length >= 2 ? `MEI type ${pdu[1]}` : 'no MEI type';
    return `encapsulated interface ${mei} (read-only allows MEI type 14, read device identification)`;
  }
  return undefined;
}

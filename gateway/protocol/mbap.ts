/**
 * MBAP, the 7-byte header that frames a PDU on Modbus TCP:
 * transaction id (2), protocol id (2, always 0), length (2, unit id + PDU), unit id (1).
 */
import { FrameError, ProtocolLimitError } from './errors';
import { LIMITS } from './limits';

export const MBAP_HEADER_LENGTH = 7;
export const MODBUS_PROTOCOL_ID = 0;

export interface MbapFrame {
  transactionId: number;
  unitId: number;
  pdu: Buffer;
}

/** Encode one ADU. Throws ProtocolLimitError when the PDU would break the 254-byte length limit. */
export function encodeMbapFrame(frame: MbapFrame): Buffer {
  const length = frame.pdu.length + 1;
  if (length > LIMITS.mbapLength) {
    throw new ProtocolLimitError({}, 'mbapLength', length);
  }
  // Every byte is written below, so the pooled, uninitialised allocation is safe.
  const adu = Buffer.allocUnsafe(MBAP_HEADER_LENGTH + frame.pdu.length);
  const transactionId = frame.transactionId & 0xffff;
  adu[0] = transactionId >> 8;
  adu[1] = transactionId & 0xff;
  adu[2] = MODBUS_PROTOCOL_ID >> 8;
  adu[3] = MODBUS_PROTOCOL_ID & 0xff;
  adu[4] = length >> 8;
  adu[5] = length & 0xff;
  adu[6] = frame.unitId & 0xff;
  frame.pdu.copy(adu, MBAP_HEADER_LENGTH);
  return adu;
}

/**
 * Check a header and return the length of the whole ADU it announces.
 * A bad header means the byte stream has lost its framing; callers close the link.
 */
export function mbapFrameLength(header: Buffer): number {
  // Too short to hold the length field: the RangeError readUInt16BE has always thrown here.
  if (header.length < MBAP_HEADER_LENGTH - 1) header.readUInt16BE(4);
  return mbapFrameLengthAt(header, 0);
}

/** mbapFrameLength of the header starting at `offset` (at least 7 bytes must follow). */
export function mbapFrameLengthAt(buffer: Buffer, offset: number): number {
  const protocolId = (buffer[offset + 2] << 8) | buffer[offset + 3];
  if (protocolId !== MODBUS_PROTOCOL_ID) {
    throw new FrameError({}, `protocol id ${MODBUS_PROTOCOL_ID} in the MBAP header`, `${protocolId}`);
  }
  const length = (buffer[offset + 4] << 8) | buffer[offset + 5];
  // A frame carries at least the unit id and a function code.
  if (length < 2 || length > LIMITS.mbapLength) {
    throw new FrameError({}, `an MBAP length of 2..${LIMITS.mbapLength} (limit mbapLength)`, `${length}`);
  }
  return MBAP_HEADER_LENGTH - 1 + length;
}

/** Decode exactly one ADU. */
export function decodeMbapFrame(adu: Buffer): MbapFrame {
  if (adu.length < MBAP_HEADER_LENGTH) {
    throw new FrameError({}, `at least ${MBAP_HEADER_LENGTH} bytes of MBAP header`, `${adu.length}`);
  }
  const total = mbapFrameLength(adu);
  if (adu.length !== total) throw new FrameError({}, `${total} bytes as the MBAP length says`, `${adu.length}`);
  return { transactionId: adu.readUInt16BE(0), unitId: adu[6], pdu: adu.subarray(MBAP_HEADER_LENGTH) };
}

/**
 * Modbus RTU framing: unit id, PDU, CRC-16 (low byte first).
 *
 * A serial line has no length header, and a pseudo-terminal or a USB adapter
 * delivers bytes in arbitrary chunks, so the inter-frame silence cannot be seen
 * either. The splitter therefore finds where a frame ends from its content: the
 * function code and, for variable-length frames, the byte count that follows it.
 * A frame is accepted only when its CRC holds; otherwise the splitter drops one
 * byte and looks again (resynchronises), reporting what it dropped, so garbage
 * before a reply (line noise, a late answer's tail) never turns into a wrong
 * answer (docs/pitfalls.md, pitfall 6).
 */
import { appendCrc, crc16, shortestCrcRun } from './crc16';
import { DIAGNOSTIC_RETURN_QUERY_DATA, EXCEPTION_FLAG, FunctionCode, MEI_READ_DEVICE_IDENTIFICATION } from './functionCodes';

/** Modbus over Serial Line §2.5.1: an RTU frame is at most 256 bytes. */
export const RTU_MAX_FRAME = 256;
/** Unit id, function code, CRC: nothing shorter is a frame. */
export const RTU_MIN_FRAME = 4;

export function encodeRtuFrame(unitId: number, pdu: Buffer): Buffer {
  const body = Buffer.alloc(1 + pdu.length);
  body[0] = unitId & 0xff;
  pdu.copy(body, 1);
  return appendCrc(body);
}

export interface UnitPdu {
  unitId: number;
  pdu: Buffer;
}

/** Unit id and PDU of a frame whose CRC has been checked. */
export function decodeRtuFrame(frame: Buffer): UnitPdu {
  return { unitId: frame[0], pdu: frame.subarray(1, frame.length - 2) };
}

/** Whose frames a splitter cuts: a client reads responses, a server reads requests. */
export type FrameRole = 'request' | 'response';

/**
 * Length of the frame starting at `start`: a number, `'more'` when more bytes are
 * needed to tell, or `'unknown'` for a function code whose length we cannot know.
 */
export type FrameLength = number | 'more' | 'unknown';

const byteCountAt = (bytes: Buffer, start: number, index: number, extra: number): FrameLength =>
  bytes.length > start + index ? index + 1 + bytes[start + index] + extra : 'more';

export function rtuResponseLength(bytes: Buffer, start: number): FrameLength {
  if (bytes.length < start + 2) return 'more';
  const fc = bytes[start + 1];
  if (fc & EXCEPTION_FLAG) return 5;
  switch (fc) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
    case FunctionCode.ReportServerId:
    case FunctionCode.ReadWriteMultipleRegisters:
    case 0x0c: // get comm event log
    case 0x14: // read file record
    case 0x15: // write file record
      return byteCountAt(bytes, start, 2, 2);
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
    case FunctionCode.GetCommEventCounter:
      return 8;
    case FunctionCode.Diagnostics:
      return diagnosticsLength(bytes, start);
    case FunctionCode.ReadExceptionStatus:
      return 5;
    case FunctionCode.MaskWriteRegister:
      return 10;
    case FunctionCode.EncapsulatedInterface:
      return deviceIdentificationLength(bytes, start);
    default:
      return 'unknown';
  }
}

export function rtuRequestLength(bytes: Buffer, start: number): FrameLength {
  if (bytes.length < start + 2) return 'more';
  switch (bytes[start + 1]) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
      return 8;
    case FunctionCode.Diagnostics:
      return diagnosticsLength(bytes, start);
    case FunctionCode.ReadExceptionStatus:
    case FunctionCode.GetCommEventCounter:
    case 0x0c:
    case FunctionCode.ReportServerId:
      return 4;
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
      return byteCountAt(bytes, start, 6, 2);
    case FunctionCode.MaskWriteRegister:
      return 10;
    case FunctionCode.ReadWriteMultipleRegisters:
      return byteCountAt(bytes, start, 10, 2);
    case FunctionCode.EncapsulatedInterface:
      return 7;
    default:
      return 'unknown';
  }
}

/**
 * FC 8 carries a sub-function and data words, with no count. Every sub-function
 * but 0 has one data word (8 bytes with unit and CRC); 0, return query data, echoes
 * as many words as were sent, so its end is found by the CRC: 8 bytes first (the
 * usual single word), then each other whole number of words.
 */
function diagnosticsLength(bytes: Buffer, start: number): FrameLength {
  if (bytes.length < start + 4) return 'more';
  if (bytes.readUInt16BE(start + 2) !== DIAGNOSTIC_RETURN_QUERY_DATA) return 8;
  const available = Math.min(bytes.length - start, RTU_MAX_FRAME);
  if (available >= 8 && crcHolds(bytes, start, 8)) return 8;
  for (let length = 6; length <= available; length += 2) {
    if (length !== 8 && crcHolds(bytes, start, length)) return length;
  }
  return available >= RTU_MAX_FRAME ? 'unknown' : 'more';
}

/**
 * FC 43/14 replies carry no byte count: unit, 2B, 0E, code, conformity, more,
 * next id, object count, then (id, length, value) per object, then the CRC.
 */
function deviceIdentificationLength(bytes: Buffer, start: number): FrameLength {
  if (bytes.length < start + 3) return 'more';
  if (bytes[start + 2] !== MEI_READ_DEVICE_IDENTIFICATION) return 'unknown';
  if (bytes.length < start + 8) return 'more';
  let offset = start + 8;
  for (let object = 0; object < bytes[start + 7]; object++) {
    if (bytes.length < offset + 2) return 'more';
    offset += 2 + bytes[offset + 1];
    if (offset - start > RTU_MAX_FRAME) return 'unknown';
  }
  return offset - start + 2;
}

function crcHolds(bytes: Buffer, start: number, length: number): boolean {
  const end = start + length;
  const crc = crc16(bytes, start, end - 2);
  return bytes[end - 2] === (crc & 0xff) && bytes[end - 1] === crc >>> 8;
}

export interface SplitResult {
  /** Whole frames, CRC checked, copied out of the input. */
  frames: Buffer[];
  /** Bytes skipped to find them, with why. */
  discarded: { bytes: Buffer; reason: string }[];
}

/** Cuts a byte stream into RTU frames by content; see the file comment. */
export class RtuFrameSplitter {
  private pending = Buffer.alloc(0);
  private readonly lengthOf: (bytes: Buffer, start: number) => FrameLength;

  constructor(role: FrameRole) {
    this.lengthOf = role === 'response' ? rtuResponseLength : rtuRequestLength;
  }

  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** Forget a partial frame: called when input is flushed before a request. */
  reset(): void {
    this.pending = Buffer.alloc(0);
  }

  push(chunk: Buffer): SplitResult {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const result: SplitResult = { frames: [], discarded: [] };
    for (;;) {
      const found = this.find(buffer);
      if (!found) break;
      if (found.start > 0) {
        result.discarded.push({ bytes: Buffer.from(buffer.subarray(0, found.start)), reason: found.skipReason });
      }
      result.frames.push(Buffer.from(buffer.subarray(found.start, found.start + found.length)));
      buffer = buffer.subarray(found.start + found.length);
    }
    // A frame is at most 256 bytes: more than that without one is noise.
    if (buffer.length > 2 * RTU_MAX_FRAME) {
      const cut = buffer.length - RTU_MAX_FRAME;
      result.discarded.push({ bytes: Buffer.from(buffer.subarray(0, cut)), reason: 'no valid frame in 256 bytes' });
      buffer = buffer.subarray(cut);
    }
    this.pending = Buffer.from(buffer);
    return result;
  }

  /**
   * The first offset where a whole frame with a good CRC starts. Once a frame has
   * begun but is not complete, a later candidate counts only if it ends exactly at
   * the last byte received: garbage that looks like a long header cannot hold back
   * a real reply, and the data of a half-received reply is not mistaken for one.
   */
  private find(buffer: Buffer): { start: number; length: number; skipReason: string } | undefined {
    let skipReason = 'not a frame';
    let waiting = false;
    const acceptable = (start: number, length: number) =>
      start + length <= buffer.length && (!waiting || start + length === buffer.length) && crcHolds(buffer, start, length);
    for (let start = 0; start + RTU_MIN_FRAME <= buffer.length; start++) {
      const length = this.lengthOf(buffer, start);
      if (length === 'more') {
        waiting = true;
        continue;
      }
      if (length === 'unknown') {
        // No length rule: accept the shortest run whose CRC holds (once waiting, only the run to the end).
        const toEnd = buffer.length - start;
        const candidate = waiting
          ? toEnd <= RTU_MAX_FRAME && crcHolds(buffer, start, toEnd)
            ? toEnd
            : 0
          : shortestCrcRun(buffer, start, RTU_MIN_FRAME, RTU_MAX_FRAME);
        if (candidate > 0) return { start, length: candidate, skipReason };
        waiting = true;
        continue;
      }
      if (length < RTU_MIN_FRAME || length > RTU_MAX_FRAME) continue;
      if (acceptable(start, length)) return { start, length, skipReason };
      if (start + length > buffer.length) waiting = true;
      else if (start === 0) skipReason = 'bad CRC';
    }
    return undefined;
  }
}

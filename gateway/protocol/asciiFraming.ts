/**
 * Modbus ASCII framing: ':' then unit id, PDU and LRC as upper-case hex, then CR LF.
 * Each frame announces its own start and end, so resynchronising is simple: bytes
 * before a ':' are dropped, and a ':' restarts a frame even in the middle of one.
 */
import { lrc } from './lrc';
import type { SplitResult, UnitPdu } from './rtuFraming';

const COLON = 0x3a;
const CR = 0x0d;
const LF = 0x0a;
/** Modbus over Serial Line §2.5.2.1: 513 characters at most. */
export const ASCII_MAX_FRAME = 513;

export function encodeAsciiFrame(unitId: number, pdu: Buffer): Buffer {
  const body = Buffer.alloc(pdu.length + 2);
  body[0] = unitId & 0xff;
  pdu.copy(body, 1);
  body[body.length - 1] = lrc(body, 0, body.length - 1);
  return Buffer.from(`:${body.toString('hex').toUpperCase()}\r\n`, 'ascii');
}

/** The binary unit id, PDU and LRC of a frame, or why it is not one. */
export function decodeAsciiFrame(frame: Buffer): { ok: true; frame: UnitPdu } | { ok: false; error: string } {
  const text = frame.toString('ascii');
  if (!text.startsWith(':') || !text.endsWith('\r\n')) return { ok: false, error: 'expected ":" … CR LF' };
  const hex = text.slice(1, -2);
  if (hex.length < 6 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) {
    return { ok: false, error: `expected an even number (at least 6) of hex digits, got "${hex.slice(0, 40)}"` };
  }
  const body = Buffer.from(hex, 'hex');
  const expected = lrc(body, 0, body.length - 1);
  const actual = body[body.length - 1];
  if (expected !== actual) {
    return { ok: false, error: `bad LRC: expected ${hex2(expected)}, got ${hex2(actual)}` };
  }
  return { ok: true, frame: { unitId: body[0], pdu: body.subarray(1, body.length - 1) } };
}

const hex2 = (value: number) => value.toString(16).toUpperCase().padStart(2, '0');

/** Cuts a character stream into ASCII frames whose LRC holds. */
export class AsciiFrameSplitter {
  private pending = Buffer.alloc(0);

  get bufferedBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }

  push(chunk: Buffer): SplitResult {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const result: SplitResult = { frames: [], discarded: [] };
    for (;;) {
      const start = buffer.indexOf(COLON);
      if (start < 0) {
        if (buffer.length > 0) result.discarded.push({ bytes: Buffer.from(buffer), reason: 'bytes outside a frame' });
        buffer = buffer.subarray(buffer.length);
        break;
      }
      if (start > 0) {
        result.discarded.push({ bytes: Buffer.from(buffer.subarray(0, start)), reason: 'bytes outside a frame' });
        buffer = buffer.subarray(start);
      }
      const end = buffer.indexOf(LF, 1);
      const restart = buffer.indexOf(COLON, 1);
      if (restart > 0 && (end < 0 || restart < end)) {
        result.discarded.push({ bytes: Buffer.from(buffer.subarray(0, restart)), reason: 'frame cut short by a new ":"' });
        buffer = buffer.subarray(restart);
        continue;
      }
      if (end < 0) {
        if (buffer.length > ASCII_MAX_FRAME) {
          result.discarded.push({ bytes: Buffer.from(buffer), reason: 'frame longer than 513 characters' });
          buffer = buffer.subarray(buffer.length);
        }
        break;
      }
      const frame = Buffer.from(buffer.subarray(0, end + 1));
      buffer = buffer.subarray(end + 1);
      const decoded = frame[frame.length - 2] === CR ? decodeAsciiFrame(frame) : { ok: false as const, error: 'LF without CR' };
      if (decoded.ok) result.frames.push(frame);
      else result.discarded.push({ bytes: frame, reason: decoded.error });
    }
    this.pending = Buffer.from(buffer);
    return result;
  }
}

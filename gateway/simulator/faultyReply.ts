/**
 * How a faulted reply leaves the simulator: from the request, the reply PDU the
 * device would send and the fault chosen, the bytes (if any) and how to send them.
 * Pure: the servers (tcpServer.ts, serialServer.ts) carry the delivery out.
 */
import type { SimulatorFault } from '../api/simulator';
import { encodeAsciiFrame } from '../protocol/asciiFraming';
import { encodeMbapFrame } from '../protocol/mbap';
import { encodeRtuFrame } from '../protocol/rtuFraming';
import { DEFAULT_DELAY_MS, DEFAULT_EXCEPTION_CODE, DEFAULT_GAP_MS, DEFAULT_GARBAGE_BYTES } from './faultPlan';

export type ReplyFraming = 'mbap' | 'rtu' | 'ascii';

export interface RequestHeader {
  unitId: number;
  /** MBAP only. */
  transactionId?: number;
  functionCode: number;
}

export type Delivery =
  /** Write `bytes` after `delayMs`, one byte every `gapMs` when set. */
  | { kind: 'send'; bytes: Buffer; delayMs: number; gapMs?: number }
  /** Keep `bytes` and write them in front of the next reply. */
  | { kind: 'hold'; bytes: Buffer }
  | { kind: 'nothing' }
  | { kind: 'reset' };

export function encodeReply(framing: ReplyFraming, header: RequestHeader, pdu: Buffer): Buffer {
  switch (framing) {
    case 'mbap':
      return encodeMbapFrame({ transactionId: header.transactionId ?? 0, unitId: header.unitId, pdu });
    case 'rtu':
      return encodeRtuFrame(header.unitId, pdu);
    case 'ascii':
      return encodeAsciiFrame(header.unitId, pdu);
  }
}

/** The reply as the fault makes it; `replyPdu` undefined means the device had nothing to say. */
export function planDelivery(framing: ReplyFraming, header: RequestHeader, replyPdu: Buffer | undefined, fault: SimulatorFault): Delivery {
  const plain = () => (replyPdu ? encodeReply(framing, header, replyPdu) : undefined);
  const send = (bytes: Buffer | undefined, delayMs = 0, gapMs?: number): Delivery =>
    bytes ? { kind: 'send', bytes, delayMs, ...(gapMs === undefined ? {} : { gapMs }) } : { kind: 'nothing' };
  switch (fault.kind) {
    case 'delay':
      return send(plain(), fault.delayMs ?? DEFAULT_DELAY_MS);
    case 'drop':
    case 'silence':
      return { kind: 'nothing' };
    case 'exception':
      return send(encodeReply(framing, header, Buffer.from([(header.functionCode | 0x80) & 0xff, fault.exceptionCode ?? DEFAULT_EXCEPTION_CODE])));
    case 'wrongTransactionId':
      return send(replyPdu && encodeReply(framing, { ...header, transactionId: ((header.transactionId ?? 0) + 0x8000) & 0xffff }, replyPdu));
    case 'wrongUnitId':
      return send(replyPdu && encodeReply(framing, { ...header, unitId: otherUnitId(header.unitId) }, replyPdu));
    case 'badChecksum':
      return send(breakChecksum(framing, plain()));
    case 'split':
      return send(plain(), 0, fault.gapMs ?? DEFAULT_GAP_MS);
    case 'coalesce': {
      const bytes = plain();
      return bytes ? { kind: 'hold', bytes } : { kind: 'nothing' };
    }
    case 'garbage':
      return send(garbage(fault.bytes ?? DEFAULT_GARBAGE_BYTES));
    case 'reset':
      return { kind: 'reset' };
  }
}

/** A unit id that is not the one asked for, and not broadcast. */
function otherUnitId(unitId: number): number {
  return unitId >= 247 ? 1 : unitId + 1;
}

function breakChecksum(framing: ReplyFraming, frame: Buffer | undefined): Buffer | undefined {
  if (!frame || framing === 'mbap') return frame;
  const broken = Buffer.from(frame);
  if (framing === 'rtu') {
    broken[broken.length - 1] ^= 0xff;
    return broken;
  }
  // ASCII: ":" hex… LRC(2) CR LF; write the complement of the right LRC.
  const at = broken.length - 4;
  const lrc = parseInt(broken.toString('latin1', at, at + 2), 16) ^ 0xff;
  broken.write(lrc.toString(16).toUpperCase().padStart(2, '0'), at, 'latin1');
  return broken;
}

function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

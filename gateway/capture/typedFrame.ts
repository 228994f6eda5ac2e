/**
 * What people type into the Frame Debugger's Send box, made into the whole frame the
 * device's transport carries: a PDU (`03 00 00 00 0A`), unit + PDU
 * (`01 03 00 00 00 0A`), or a whole frame (MBAP + PDU, unit + PDU + CRC, or an ASCII
 * line). The MBAP header, CRC or LRC is added; the unit id comes from the device
 * when the PDU alone was typed. Which form it is follows from the bytes: a whole
 * frame must check (length field, CRC), a PDU must be a request the codec reads
 * (function code and byte counts agree), and unit + PDU likewise after its first byte.
 */
import type { Framing } from '../api/frames';
import { decodeFrame } from '../protocol/decoder';
import { encodeAsciiFrame } from '../protocol/asciiFraming';
import { encodeMbapFrame } from '../protocol/mbap';
import { decodeRequest } from '../protocol/requests';
import { encodeRtuFrame } from '../protocol/rtuFraming';

export type TypedForm = 'frame' | 'pdu' | 'unit+pdu';

export interface CompletedFrame {
  form: TypedForm;
  /** The whole frame in the device's framing. */
  bytes: Buffer;
  /** "PDU: unit 1 and the MBAP header added", for the page to show before sending. */
  note: string;
}

/** Nothing in the typed bytes reads as a request in any of the three forms. */
export class TypedFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypedFrameError';
  }
}

/** The transaction id shown in a completed MBAP frame; the session puts its own on the wire. */
const PREVIEW_TRANSACTION_ID = 1;

function wrap(unitId: number, pdu: Buffer, framing: Framing): Buffer {
  switch (framing) {
    case 'tcp':
      return encodeMbapFrame({ transactionId: PREVIEW_TRANSACTION_ID, unitId, pdu });
    case 'rtu':
      return encodeRtuFrame(unitId, pdu);
    case 'ascii':
      return encodeAsciiFrame(unitId, pdu);
  }
}

const ADDED: Record<Framing, string> = { tcp: 'the MBAP header', rtu: 'the CRC', ascii: 'the ":" start, LRC and CR LF' };

export function completeTypedFrame(bytes: Buffer, framing: Framing, deviceUnitId: number): CompletedFrame {
  if (bytes.length === 0) throw new TypedFrameError('nothing to send: type a PDU (03 00 00 00 0A), unit + PDU (01 03 00 00 00 0A) or a whole frame');
  const whole = decodeFrame(bytes, { framing, direction: 'request' });
  // A vendor function code is no reason to refuse a whole frame (the proxy forwards those too).
  if (whole.problems.every((problem) => problem.startsWith('unknown function code'))) return { form: 'frame', bytes, note: `a whole ${framing} frame, sent as typed` };
  if (decodeRequest(bytes).ok) {
    return { form: 'pdu', bytes: wrap(deviceUnitId, bytes, framing), note: `a PDU: unit ${deviceUnitId} and ${ADDED[framing]} added` };
  }
  if (bytes.length > 1 && decodeRequest(bytes.subarray(1)).ok) {
    return { form: 'unit+pdu', bytes: wrap(bytes[0], bytes.subarray(1), framing), note: `unit ${bytes[0]} + PDU: ${ADDED[framing]} added` };
  }
  const asPdu = decodeRequest(bytes);
  const why = asPdu.ok ? '' : `; as a PDU: ${asPdu.rejection.reason}; as a whole ${framing} frame: ${whole.problems[0]}`;
  throw new TypedFrameError(`not a request in any form this box accepts (a PDU, unit + PDU, or a whole frame)${why}`);
}

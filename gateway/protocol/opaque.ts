/**
 * Requests the codec does not parse, carried as bytes: what a proxy does with a
 * function code, diagnostics sub-function or MEI type it does not know (vendor
 * codes such as Schneider's 90, user-defined 65–72 and 100–110, FIFO and file
 * records, diagnostic counters). A transparent gateway (mbusd, modbus-proxy)
 * forwards them and lets the device decide; answering 01 in the device's place
 * would break the engineering tools that use them through the proxy.
 *
 * What is still checked: the reply must carry the request's function code, or be
 * its 2-byte exception. Its length comes from the framing (MBAP length; the CRC on
 * RTU, see rtuFraming.ts; the LRC on ASCII), since no length rule is known.
 */
import { FrameError, type RequestContext } from './errors';
import type { ExceptionResponse } from './responses';

const EXCEPTION_FLAG = 0x80;

export interface OpaqueRequest {
  functionCode: number;
  /** The whole request PDU as the client sent it. */
  opaque: Buffer;
  /** The length a normal reply must have, when the request says it (a proxied read): checked without decoding the reply. */
  replyLength?: number;
}

export interface OpaqueResponse {
  functionCode: number;
  /** The whole reply PDU as the device sent it. */
  opaque: Buffer;
}

export function opaqueRequest(pdu: Buffer): OpaqueRequest {
  return { functionCode: pdu[0], opaque: pdu };
}

export function isOpaque<T extends object>(message: T | OpaqueRequest | OpaqueResponse): message is OpaqueRequest | OpaqueResponse {
  return 'opaque' in message;
}

/** The device's reply to an opaque request: its bytes, or its exception. Throws FrameError for a reply to something else. */
export function decodeOpaqueReply(pdu: Buffer, request: OpaqueRequest, context: RequestContext): OpaqueResponse | ExceptionResponse {
  if (pdu.length === 0) throw new FrameError(context, 'a function code', 'an empty PDU');
  if (pdu[0] === (request.functionCode | EXCEPTION_FLAG)) {
    if (pdu.length !== 2) throw new FrameError(context, 'a 2-byte exception PDU', `${pdu.length} bytes`);
    return { functionCode: request.functionCode, exceptionCode: pdu[1] };
  }
  if (pdu[0] !== request.functionCode) throw new FrameError(context, `function code ${request.functionCode}`, `${pdu[0]}`);
  const length = request.replyLength;
  if (length !== undefined && (pdu.length !== length || pdu[1] !== length - 2)) {
    throw new FrameError(context, `a ${length}-byte reply (byte count ${length - 2})`, `${pdu.length} bytes, byte count ${pdu[1]}`);
  }
  return { functionCode: pdu[0], opaque: Buffer.from(pdu) };
}

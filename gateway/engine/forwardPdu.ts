/**
 * A request as a proxy's client sent it (unit id + PDU bytes), forwarded through a
 * session's connection, and the reply PDU bytes back: what DeviceSession.requestPdu
 * delegates to.
 *
 * The PDU is decoded once, by the caller when it has decoded it already (the proxy
 * does, to filter it), so the connection can check that the reply answers it
 * (function code, byte count, echo) exactly as for the engine's own requests; the
 * reply is then encoded again. For every function code the codec knows the result
 * is the device's bytes: the encoders are exact inverses of the decoders, and an
 * exception reply is always function | 0x80 plus its code, passed through unchanged.
 *
 * A read (FC 1–4), the bulk of what a proxy carries, skips both steps: its reply
 * length follows from the request, so the reply is checked for function code,
 * byte count and length and its bytes are handed back as they came.
 *
 * A write (FC 5, 6, 15, 16, 22, 23) is never sent twice: a timeout says nothing of
 * whether the device acted on it, and the client has its own retry policy.
 */
import { ConnectionClosedError, ModbusExceptionError, type RequestContext } from '../protocol/errors';
import { isOpaque, opaqueRequest } from '../protocol/opaque';
import { decodeRequest, requestContext } from '../protocol/requests';
import { encodeExceptionResponse, encodeResponse } from '../protocol/responses';
import { isReadRequest, type ModbusRequest } from '../protocol/requests';
import type { Connection, Exchange, ExchangeRequest, ExchangeResponse } from './connection';
import type { Logger } from './logger';
import { exchangeWithRetries, type RetryPolicy } from './retryOnTimeout';

/** Function codes that change the device: never repeated on a timeout. */
const WRITE_FUNCTION_CODES: ReadonlySet<number> = new Set([5, 6, 15, 16, 22, 23]);

export function isWriteFunction(functionCode: number): boolean {
  return WRITE_FUNCTION_CODES.has(functionCode);
}

export interface ForwardOptions {
  device: string;
  unitId: number;
  timeoutMs: number;
  /** Extra attempts after a timeout (reads only). */
  retries: number;
  logger: Logger;
  /** Why the link is down, for the error when there is no connection. */
  lastError?: string;
  /** Correlation text for the request frame in the capture (the proxy and its request number). */
  correlation?: string;
  /** The PDU decoded already (decodeRequest, or opaqueRequest for a function the codec does not know). */
  request?: ExchangeRequest;
}

/**
 * Resolves with the reply PDU (a normal response or the device's exception);
 * rejects with TimeoutError, ConnectionClosedError or FrameError (a reply that does
 * not answer the request). A function the codec does not know (a vendor code, a
 * diagnostics counter) goes to the device as it is and its reply comes back as it
 * is (opaque.ts). A malformed request, or no function at all (0, 128+), is answered
 * at once with the exception a server gives for it (03, 01), unsent.
 */
export function forwardPdu(pdu: Buffer, options: ForwardOptions, connection: () => Connection | undefined): Promise<Buffer> {
  let request = options.request;
  if (request === undefined) {
    const decoded = decodeRequest(pdu);
    if (!decoded.ok && !decoded.rejection.unsupported) return Promise.resolve(encodeExceptionResponse(decoded.rejection.functionCode, decoded.rejection.exceptionCode));
    request = decoded.ok ? decoded.request : opaqueRequest(pdu);
  }
  const context: RequestContext = {
    device: options.device,
    unitId: options.unitId,
    ...(isOpaque(request) ? { functionCode: request.functionCode } : requestContext(request)),
  };
  const retries = isWriteFunction(request.functionCode) ? 0 : options.retries;
  // A read goes as bytes with its reply length: no decoding and re-encoding of the reply.
  if (!isOpaque(request) && isReadRequest(request)) request = { functionCode: request.functionCode, opaque: pdu, replyLength: readReplyLength(request) };
  const exchange: Exchange = { request, pdu, context, unitId: options.unitId, timeoutMs: options.timeoutMs };
  if (options.correlation !== undefined) exchange.correlation = options.correlation;
  // No retries (a proxy's default): the connection's promise, one step, no async frame.
  if (retries === 0) {
    const current = connection();
    if (!current) return Promise.reject(new ConnectionClosedError(context, { wasSent: false, reason: options.lastError }));
    return current.exchange(exchange).then(replyPdu, (error: unknown) => exceptionPdu(error, exchange.request.functionCode));
  }
  const policy: RetryPolicy = { retries, device: options.device, logger: options.logger, closedReason: () => options.lastError };
  return exchangeWithRetries(exchange, connection, policy).then(replyPdu, (error: unknown) => exceptionPdu(error, exchange.request.functionCode));
}

function replyPdu(response: ExchangeResponse): Buffer {
  return isOpaque(response) ? response.opaque : encodeResponse(response);
}

/** The device's exception comes back as its exception PDU; every other error is thrown on. */
function exceptionPdu(error: unknown, functionCode: number): Buffer {
  if (error instanceof ModbusExceptionError) return encodeExceptionResponse(functionCode, error.exceptionCode);
  throw error;
}

/** A read's normal reply PDU length: function, byte count, then 2 bytes a register or 1 bit a coil. */
function readReplyLength(request: Extract<ModbusRequest, { quantity: number }>): number {
  return 2 + (request.functionCode === 3 || request.functionCode === 4 ? request.quantity * 2 : Math.ceil(request.quantity / 8));
}

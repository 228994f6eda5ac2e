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
 * A write (FC 5, 6, 15, 16, 22, 23) is never sent twice: a timeout says nothing of
 * whether the device acted on it, and the client has its own retry policy.
 */
import { ConnectionClosedError, ModbusExceptionError, TimeoutError, type RequestContext } from '../protocol/errors';
import { isOpaque, opaqueRequest } from '../protocol/opaque';
import { decodeRequest, requestContext } from '../protocol/requests';
import { encodeExceptionResponse, encodeResponse } from '../protocol/responses';
import type { Connection, ExchangeRequest } from './connection';
import type { Logger } from './logger';

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
export async function forwardPdu(pdu: Buffer, options: ForwardOptions, connection: () => Connection | undefined): Promise<Buffer> {
  let request = options.request;
  if (request === undefined) {
    const decoded = decodeRequest(pdu);
    if (!decoded.ok && !decoded.rejection.unsupported) return encodeExceptionResponse(decoded.rejection.functionCode, decoded.rejection.exceptionCode);
    request = decoded.ok ? decoded.request : opaqueRequest(pdu);
  }
  const context: RequestContext = {
    device: options.device,
    unitId: options.unitId,
    ...(isOpaque(request) ? { functionCode: request.functionCode } : requestContext(request)),
  };
  const retries = isWriteFunction(request.functionCode) ? 0 : options.retries;
  for (let attempt = 0; ; attempt++) {
    const current = connection();
    if (!current) throw new ConnectionClosedError(context, { wasSent: false, reason: options.lastError });
    try {
      const response = await current.exchange({
        request,
        pdu,
        context,
        unitId: options.unitId,
        timeoutMs: options.timeoutMs,
        ...(options.correlation === undefined ? {} : { correlation: options.correlation }),
      });
      return isOpaque(response) ? response.opaque : encodeResponse(response);
    } catch (error) {
      if (error instanceof ModbusExceptionError) return encodeExceptionResponse(request.functionCode, error.exceptionCode);
      if (!(error instanceof TimeoutError) || attempt >= retries) throw error;
      options.logger.log('debug', `${error.message}; retrying (${attempt + 1} of ${retries})`, options.device);
    }
  }
}

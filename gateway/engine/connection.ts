/**
 * What a session talks through once connected: a Modbus TCP connection of its
 * own, or its place on a shared serial bus. Either one sends a request, waits
 * (with a timeout) for the reply that belongs to it, and drops every other reply.
 */
import { ModbusExceptionError, type RequestContext } from '../protocol/errors';
import { decodeOpaqueReply, isOpaque, type OpaqueRequest, type OpaqueResponse } from '../protocol/opaque';
import type { ModbusRequest } from '../protocol/requests';
import { decodeResponse, type ModbusResponse } from '../protocol/responses';

/** What a connection sends: a request the codec knows, or a proxy's opaque one (opaque.ts). */
export type ExchangeRequest = ModbusRequest | OpaqueRequest;
/** What comes back: the decoded reply, or an opaque request's reply bytes. */
export type ExchangeResponse = ModbusResponse | OpaqueResponse;

export interface Exchange {
  request: ExchangeRequest;
  /** The encoded request PDU. */
  pdu: Buffer;
  context: RequestContext;
  unitId: number;
  timeoutMs: number;
  /** Marks the request frame in the capture: a proxy's correlation ("proxy plc #42"). */
  correlation?: string;
}

export interface Connection {
  /** The link, as frames report it: "tcp://10.0.0.5:502", "rtu:///dev/ttyUSB0". */
  readonly name: string;
  /** Replies dropped because no request waited for them (late after a timeout, or duplicates). */
  readonly staleReplies: number;
  /** Resolves with the decoded reply; rejects with the typed errors of protocol/errors. */
  exchange(exchange: Exchange): Promise<ExchangeResponse>;
  /** Leave: reject everything this session still waits for with ConnectionClosedError. */
  close(reason: string): void;
  /** Called once when the connection is gone without the session asking: see LossCause. */
  onLost(listener: LostListener): void;
}

/**
 * Why a connection went away without the session asking. `link`: the link itself
 * (port unplugged, peer closed the socket), which is news for the user. `silence`: the
 * connection gave up on a device that stopped answering, so the session reopens it as
 * a remedy and keeps saying the device is not answering.
 */
export type LossCause = 'link' | 'silence';

export type LostListener = (reason: string, cause: LossCause) => void;

export interface Connector {
  connect(): Promise<Connection>;
}

/** The reply PDU as a response, or the typed error it stands for (exception, malformed). */
export function decodeReply(pdu: Buffer, request: ExchangeRequest, context: RequestContext): ExchangeResponse {
  const response = isOpaque(request) ? decodeOpaqueReply(pdu, request, context) : decodeResponse(pdu, request, context);
  if ('exceptionCode' in response) throw new ModbusExceptionError(context, response.exceptionCode);
  return response;
}

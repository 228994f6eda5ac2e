/**
 * Turns one text message into exactly one response envelope: parse, validate the
 * envelope, find the method, validate its params with the contract's schema, run
 * the handler. Never throws; every failure becomes an error response with a code.
 */
import type { z } from 'zod';
import {
  Methods,
  RequestEnvelope,
  UNREADABLE_REQUEST_ID,
  isMethodName,
  type ErrorCode,
  type MethodName,
  type MethodResult,
  type ResponseEnvelope,
} from '../api/channel';
import { formatPath } from '../api/config';
import { plainIssues } from '../api/plainIssues';
import { UnknownDeviceError } from '../engine/engine';
import type { Logger } from '../engine/logger';
import { ChannelRequestError } from './requestError';

/** The connection a request came on, for the few methods whose effect is per connection. */
export interface ChannelCaller {
  /** Send this connection the `frames` event (or stop); returns how many connections now watch. */
  watchFrames(live: boolean): number;
}

/** One handler per method, receiving params already parsed (defaults applied). */
export type MethodHandlers = {
  [M in MethodName]: (params: z.output<(typeof Methods)[M]['params']>, caller: ChannelCaller) => Promise<MethodResult<M>> | MethodResult<M>;
};

export async function dispatch(text: string, handlers: MethodHandlers, logger: Logger, caller: ChannelCaller): Promise<ResponseEnvelope> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return errorResponse(UNREADABLE_REQUEST_ID, 'bad_message', `not JSON: ${(error as Error).message}`);
  }
  const envelope = RequestEnvelope.safeParse(json);
  if (!envelope.success) {
    return errorResponse(readableId(json), 'bad_message', `not a request envelope: ${plainIssues(envelope.error.issues, formatPath)}`);
  }
  const { id, method, params } = envelope.data;
  if (!isMethodName(method)) return errorResponse(id, 'unknown_method', `unknown method "${method}"`);

  const parsed = Methods[method].params.safeParse(params);
  if (!parsed.success) return paramsFailure(id, method, parsed.error.issues);

  try {
    // Each handler's params type is tied to `method`; TypeScript cannot follow that
    // correlation through the lookup, and the schema above has already checked it.
    const handler = handlers[method] as (params: unknown, caller: ChannelCaller) => unknown;
    const result = await handler(parsed.data, caller);
    return { type: 'response', id, ok: true, result };
  } catch (error) {
    if (error instanceof ChannelRequestError) return errorResponse(id, error.code, error.message);
    if (error instanceof UnknownDeviceError) return errorResponse(id, 'unknown_device', error.message);
    const message = error instanceof Error ? error.message : String(error);
    // The log names the method for whoever debugs; the answer is for the user, who never typed one.
    logger.log('error', `${method} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    return errorResponse(id, 'internal', message);
  }
}

export function errorResponse(id: number, code: ErrorCode, message: string): ResponseEnvelope {
  return { type: 'response', id, ok: false, error: { code, message } };
}

function readableId(json: unknown): number {
  if (typeof json === 'object' && json !== null && 'id' in json && Number.isInteger(json.id)) return json.id as number;
  return UNREADABLE_REQUEST_ID;
}

/**
 * A bad config inside config.apply is reported as invalid_config, with paths into
 * the config itself (`devices[0].tags[1].address`), as the editor shows them.
 */
function paramsFailure(id: number, method: MethodName, issues: readonly z.core.$ZodIssue[]): ResponseEnvelope {
  const inConfig = method === 'config.apply' && issues.every((issue) => issue.path[0] === 'config');
  if (inConfig) {
    const relative = issues.map((issue) => ({ ...issue, path: issue.path.slice(1) }));
    return errorResponse(id, 'invalid_config', `invalid configuration: ${plainIssues(relative, formatPath)}`);
  }
  return errorResponse(id, 'invalid_params', plainIssues(issues, formatPath));
}

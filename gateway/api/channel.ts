/**
 * The channel: JSON messages over the gateway's WebSocket (127.0.0.1, token).
 *
 * Three kinds of message, after GitLens' IPC and LSP: a request (client → gateway)
 * names a method and carries an id; the gateway answers each with exactly one
 * response; events flow from the gateway unasked. Every method and event is listed
 * below with its schema, so both sides get their types from one place and the
 * gateway validates every request before it acts on it.
 */
import { z } from 'zod';
import { BifrostConfig } from './config';
import { LOG_LEVELS } from './logLevels';

export const PROTOCOL_VERSION = 1;

/** Where the gateway tells its parent how to connect: the first stdout line. */
export const ReadyLine = z.object({
  ready: z.object({ port: z.number().int(), token: z.string().min(16), pid: z.number().int(), version: z.string() }),
});
export type ReadyLine = z.infer<typeof ReadyLine>;

/** The query parameter that carries the token on the WebSocket URL. */
export const TOKEN_QUERY_PARAM = 'token';

/**
 * A token the operator gives a gateway (--token-file, BIFROST_TOKEN) and an editor
 * attaching to it: URL-safe (it travels in the query string) and long enough not to be guessed.
 */
export const OPERATOR_TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,512}$/;
export const OPERATOR_TOKEN_RULE = '16 to 512 characters of letters, digits and . _ ~ - on one line';

export * from './shapes';
import { DeviceSnapshot, DeviceStatus, TagReadTick, TagValue } from './shapes';
import { FrameMethods, FrameEvents } from './frames';
import { CaptureMethods, CaptureEvents } from './capture';
import { OperationMethods, OperationEvents } from './operations';
import { ProxyMethods, ProxyEvents } from './proxies';
import { SimulatorMethods } from './simulator';
import { RegisterMethods } from './registers';

const DeviceRef = z.object({ device: z.string().min(1) });
const Empty = z.object({}).strict();

// ---------------------------------------------------------------- methods

export const Methods = {
  /** First message on a connection: checks that both sides speak the same protocol. */
  hello: {
    params: z.object({ client: z.string(), protocolVersion: z.number().int() }),
    result: z.object({
      gatewayVersion: z.string(),
      protocolVersion: z.number().int(),
      pid: z.number().int(),
      /**
       * The bifrost.json this gateway was started with (`run --config`, `serve --config`):
       * it runs that file, so config.apply is refused and a client only looks.
       */
      configFile: z.string().optional(),
    }),
  },
  /**
   * Replace the running configuration. `config: null` means "no workspace file":
   * the gateway runs its built-in demo device. Refused (`config_owned`) by a gateway
   * started with its own config file.
   */
  'config.apply': {
    params: z.object({ config: BifrostConfig.nullable(), source: z.string().optional() }),
    result: z.object({ devices: z.array(DeviceSnapshot) }),
  },
  /** The current state of every device and the last value of every tag. */
  'devices.snapshot': {
    params: Empty,
    result: z.object({ devices: z.array(DeviceSnapshot) }),
  },
  'device.connect': { params: DeviceRef, result: Empty },
  'device.disconnect': { params: DeviceRef, result: Empty },
  /** Poll now instead of waiting for the next scan; every device when none is named. */
  'device.refresh': { params: z.object({ device: z.string().optional() }), result: Empty },
  ...FrameMethods,
  ...CaptureMethods,
  ...OperationMethods,
  ...ProxyMethods,
  ...SimulatorMethods,
  ...RegisterMethods,
} as const;

export type MethodName = keyof typeof Methods;
export type MethodParams<M extends MethodName> = z.input<(typeof Methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<(typeof Methods)[M]['result']>;

// ---------------------------------------------------------------- events

export const Events = {
  'device.status': DeviceStatus,
  /**
   * Batched: the gateway coalesces value changes and flushes them every ~50 ms.
   * `reads` says which scans completed since the last batch, so a value that did
   * not change still shows when it was last read.
   */
  'tag.values': z.object({ values: z.array(TagValue), reads: z.array(TagReadTick).optional() }),
  /** The device list changed (config applied); clients should rebuild from it. */
  'devices.changed': z.object({ devices: z.array(DeviceSnapshot) }),
  log: z.object({
    level: z.enum(LOG_LEVELS),
    message: z.string(),
    device: z.string().optional(),
  }),
  /**
   * This connection stopped reading and fell behind: what the gateway did not send it
   * meanwhile (events, and responses to its requests, which will never come). Sent
   * once it has caught up; a client should then ask for fresh snapshots. A connection
   * that stays behind is closed.
   */
  'channel.missed': z.object({
    events: z.number().int(),
    responses: z.number().int(),
    /** Epoch ms when it fell behind. */
    since: z.number(),
  }),
  ...FrameEvents,
  ...CaptureEvents,
  ...OperationEvents,
  ...ProxyEvents,
} as const;

export type EventName = keyof typeof Events;
export type EventData<E extends EventName> = z.infer<(typeof Events)[E]>;

// ---------------------------------------------------------------- envelopes

export const ErrorCode = z.enum([
  'bad_message',
  'unknown_method',
  'invalid_params',
  'unknown_device',
  'unknown_proxy',
  /** A proxy could not listen (port in use, no permission); the message names host:port. */
  'listen_failed',
  'invalid_config',
  /** config.apply to a gateway that runs its own config file (hello's configFile). */
  'config_owned',
  'protocol_mismatch',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ChannelError = z.object({ code: ErrorCode, message: z.string() });
export type ChannelError = z.infer<typeof ChannelError>;

/**
 * The id of an error response to a message whose own id could not be read (not
 * JSON, or no integer `id`): the gateway still answers, so the client can log it.
 */
export const UNREADABLE_REQUEST_ID = -1;

export const RequestEnvelope = z.object({
  type: z.literal('request'),
  id: z.number().int(),
  method: z.string(),
  params: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const ResponseEnvelope = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: ChannelError }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

export const EventEnvelope = z.object({ type: z.literal('event'), event: z.string(), data: z.unknown() });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** What a client receives: responses to its requests, and events. */
export const ServerMessage = z.union([ResponseEnvelope, EventEnvelope]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(Methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(Events, name);
}

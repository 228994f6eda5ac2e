/**
 * What the features see of a gateway: a connection that comes and goes, and while it
 * is up, a client to ask it things. Nothing here says whether the gateway is the
 * child process this window started (GatewaySupervisor) or one reached over the
 * network: features are written against these two interfaces only, so a window can
 * hold several gateways side by side.
 */
import type { ChannelError, EventData, EventName, MethodName, MethodParams, MethodResult, ReadyLine } from '../../gateway/api';
import type { Disposable } from '../util/disposable';

export type GatewayState = 'starting' | 'running' | 'restarting' | 'stopped';

/** A live channel to one gateway: typed requests and events, validated against the contract. */
export interface GatewayClient {
  readonly isOpen: boolean;
  request<M extends MethodName>(method: M, params: MethodParams<M>, options?: { timeoutMs?: number }): Promise<MethodResult<M>>;
  onEvent<E extends EventName>(event: E, listener: (data: EventData<E>) => void): Disposable;
}

/** A minimal event: subscribe, get a disposable back (vscode.Event is one). */
export type Subscribe<T> = (listener: (value: T) => unknown) => Disposable;

/** One gateway the window works with. */
export interface GatewayConnection {
  /** Stable within the window: "local" for the bundled gateway. */
  readonly id: string;
  /** What the user calls it: shown in messages and, with several, in the views. */
  readonly label: string;
  readonly state: GatewayState;
  /** The live client, while the state is 'running'. */
  readonly client: GatewayClient | undefined;
  /** What the gateway reported about itself when it came up. */
  readonly info: ReadyLine['ready'] | undefined;
  readonly onDidChangeState: Subscribe<GatewayState>;
  /** Fires with each new client, after every (re)connect: subscribers re-sync from it. */
  readonly onDidConnect: Subscribe<GatewayClient>;
  readonly onDidDisconnect: Subscribe<void>;
  /** A clean slate: reconnect (and for the local gateway, a fresh process). */
  restart(): Promise<void>;
}

/** Why a request failed: the gateway's own error code, or what happened on our side. */
export type RequestFailure = ChannelError['code'] | 'timeout' | 'closed' | 'bad_response' | 'not_running';

/**
 * The one error a request to a gateway fails with. Recognise it with `instanceof` or
 * its `code` (never the class name: the shipped bundle is minified).
 */
export class ChannelRequestError extends Error {
  constructor(
    /** The method asked for; undefined when there was no gateway to ask. */
    readonly method: string | undefined,
    readonly code: RequestFailure,
    message: string,
  ) {
    // The message is shown to users as is: no method name ("tag.encodeWrite: …"), which
    // they never typed; `method` stays on the error for the log.
    super(message);
    this.name = 'ChannelRequestError';
  }
}

/** The client of `gateway`, or a ChannelRequestError (code `not_running`) saying why there is none. */
export function requireClient(gateway: GatewayConnection): GatewayClient {
  const client = gateway.client;
  if (client) return client;
  throw new ChannelRequestError(undefined, 'not_running', gateway.state === 'stopped' ? 'the gateway is not running' : `the gateway is ${gateway.state}`);
}

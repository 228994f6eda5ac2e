/**
 * The extension's end of the gateway channel: a WebSocket client with typed
 * requests and events, both validated against the contract in `gateway/api`.
 *
 * Rules that keep the extension host healthy whatever the gateway sends:
 * - every request has a timeout, and all pending requests are rejected when the
 *   socket closes (a hung gateway must not leave commands waiting forever);
 * - a malformed message is logged and dropped, never thrown; a response whose
 *   result does not match its method's schema rejects only that request;
 * - a `.then` attached to a request runs before events that came after its
 *   response (see dispatchEvent), so a snapshot never overwrites newer events.
 * No vscode import: it runs under mocha against a real `ws` server.
 */
import type { PeerCertificate } from 'node:tls';
import WebSocket from 'ws';
import {
  Events,
  Methods,
  PROTOCOL_VERSION,
  ServerMessage,
  TOKEN_QUERY_PARAM,
  UNREADABLE_REQUEST_ID,
  isEventName,
  type EventData,
  type EventName,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from '../../gateway/api';
import { Listeners, type Disposable } from '../util/disposable';
import { ChannelRequestError, type GatewayClient } from './gatewayConnection';
import { errorMessage, type Logger } from '../util/logger';
import { socketErrorInWords } from './connectionWords';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

interface Pending {
  method: MethodName;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface ChannelClientOptions {
  /** The local gateway's port (on `host`, 127.0.0.1 by default); ignored when `url` is given. */
  port?: number;
  /** A gateway elsewhere: `wss://gw.example.com:7443/` (the token is added here). */
  url?: string;
  /** TLS for `url`: the pinned certificate as the only trust anchor, its fingerprint checked (certificatePin.ts). */
  socketOptions?: { ca?: string; checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined };
  token: string;
  logger: Logger;
  /** Sent in `hello`, shows in the gateway's log. */
  clientName: string;
  host?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export { ChannelRequestError, type RequestFailure } from './gatewayConnection';

const REFUSALS: Record<number, string> = {
  401: 'wrong token',
  403: 'not accepted as a client (a web page, or a Host the gateway does not answer to)',
  429: 'too many wrong tokens from this address; wait a minute',
};

/** Why a connection could not be opened; `code` is the socket's (ECONNREFUSED, a TLS code) or HTTP_<status>. */
export class ChannelConnectError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** Why, without the gateway's address ("connection refused: …"): for where the gateway is named already. */
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'ChannelConnectError';
  }
}

export class ChannelClient implements GatewayClient, Disposable {
  private nextId = 1;
  /** What the gateway answered to hello: its version, pid, and the config file it runs, if any. */
  hello: MethodResult<'hello'> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<EventName, Listeners<unknown>>();
  private readonly closeListeners: Listeners<CloseInfo>;
  private closed = false;

  private constructor(
    private readonly socket: WebSocket,
    private readonly logger: Logger,
    private readonly requestTimeoutMs: number,
  ) {
    this.closeListeners = new Listeners((error) => logger.error(`close listener failed: ${errorMessage(error)}`));
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', (code, reason) => this.handleClose({ code, reason: reason.toString() }));
    // 'error' is always followed by 'close'; without a listener ws would throw it.
    socket.on('error', (error) => logger.warn(`channel error: ${error.message}`));
  }

  /** Opens the socket and says hello; rejects (and closes) if either fails. */
  static async connect(options: ChannelClientOptions): Promise<ChannelClient> {
    const base = options.url ?? `ws://${options.host ?? '127.0.0.1'}:${options.port}/`;
    const where = options.url ?? `port ${options.port}`;
    const url = new URL(base);
    url.searchParams.set(TOKEN_QUERY_PARAM, options.token);
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // ws passes these to tls.connect as they are; its typings describe checkServerIdentity otherwise.
      ...(options.socketOptions as WebSocket.ClientOptions | undefined),
    });
    await new Promise<void>((resolve, reject) => {
      const onOpen = (): void => {
        socket.off('error', onError);
        resolve();
      };
      const onError = (error: Error): void => {
        socket.off('open', onOpen);
        socket.off('unexpected-response', onRefused);
        const reason = socketErrorInWords(error);
        reject(new ChannelConnectError(`cannot connect to the gateway on ${where}: ${reason}`, (error as NodeJS.ErrnoException).code, reason));
      };
      // The gateway refused the upgrade: 401 (token), 403 (Origin/Host), 429 (too many wrong tokens).
      const onRefused = (_request: unknown, response: { statusCode?: number; statusMessage?: string }): void => {
        socket.off('open', onOpen);
        socket.off('error', onError);
        // Aborting a connection that never opened emits one more error: it is this refusal.
        socket.on('error', () => {});
        socket.terminate();
        const status = response.statusCode ?? 0;
        reject(new ChannelConnectError(`the gateway on ${where} refused the connection: ${REFUSALS[status] ?? `HTTP ${status} ${response.statusMessage ?? ''}`.trim()}`, `HTTP_${status}`));
      };
      socket.once('open', onOpen);
      socket.once('error', onError);
      socket.once('unexpected-response', onRefused);
    });
    const client = new ChannelClient(socket, options.logger, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    try {
      const hello = await client.request('hello', { client: options.clientName, protocolVersion: PROTOCOL_VERSION });
      if (hello.protocolVersion !== PROTOCOL_VERSION) {
        throw new Error(`the gateway speaks protocol ${hello.protocolVersion}, this extension ${PROTOCOL_VERSION}`);
      }
      options.logger.info(`connected to gateway ${hello.gatewayVersion} (pid ${hello.pid}) on ${where}`);
      client.hello = hello;
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  request<M extends MethodName>(method: M, params: MethodParams<M>, options?: { timeoutMs?: number }): Promise<MethodResult<M>> {
    if (this.closed) return Promise.reject(new ChannelRequestError(method, 'closed', 'the channel is closed'));
    const id = this.nextId++;
    const timeoutMs = options?.timeoutMs ?? this.requestTimeoutMs;
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ChannelRequestError(method, 'timeout', `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ type: 'request', id, method, params }), (error) => {
        if (!error) return;
        const entry = this.pending.get(id);
        if (!entry) return;
        clearTimeout(entry.timer);
        this.pending.delete(id);
        reject(new ChannelRequestError(method, 'closed', `cannot send: ${error.message}`));
      });
    });
  }

  onEvent<E extends EventName>(event: E, listener: (data: EventData<E>) => void): Disposable {
    let listeners = this.eventListeners.get(event);
    if (!listeners) {
      listeners = new Listeners((error) => this.logger.error(`listener for ${event} failed: ${errorMessage(error)}`));
      this.eventListeners.set(event, listeners);
    }
    return listeners.add(listener as (data: unknown) => void);
  }

  onClose(listener: (info: CloseInfo) => void): Disposable {
    return this.closeListeners.add(listener);
  }

  close(): void {
    if (this.closed) return;
    this.socket.close(1000, 'client closing');
    // Reject now rather than on the close handshake: callers should not wait on a peer
    // that may never answer it.
    this.handleClose({ code: 1000, reason: 'client closing' });
  }

  dispose(): void {
    this.close();
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.logger.warn('channel: dropped a binary message');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch (error) {
      this.logger.warn(`channel: dropped a message that is not JSON: ${errorMessage(error)}`);
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      this.logger.warn(`channel: dropped a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') this.dispatchEvent(message.event, message.data);
    else this.settle(message);
  }

  private settle(message: Extract<ServerMessage, { type: 'response' }>): void {
    if (message.id === UNREADABLE_REQUEST_ID && !message.ok) {
      // The gateway could not read something we sent: a bug on one side or the other.
      this.logger.error(`the gateway could not read a request: ${message.error.message}`);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) {
      // A late answer to a request that already timed out.
      this.logger.debug(`channel: dropped a response to unknown request ${message.id}`);
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(entry.timer);
    if (!message.ok) {
      entry.reject(new ChannelRequestError(entry.method, message.error.code, message.error.message));
      return;
    }
    const result = Methods[entry.method].result.safeParse(message.result);
    if (!result.success) {
      const detail = result.error.issues[0]?.message ?? 'invalid';
      this.logger.warn(`channel: ${entry.method} answered with a malformed result: ${detail}`);
      entry.reject(new ChannelRequestError(entry.method, 'bad_response', `malformed result: ${detail}`));
      return;
    }
    entry.resolve(result.data);
  }

  private dispatchEvent(event: string, data: unknown): void {
    if (!isEventName(event)) {
      // A newer gateway may send events this extension does not know yet.
      this.logger.debug(`channel: ignored unknown event ${event}`);
      return;
    }
    const parsed = Events[event].safeParse(data);
    if (!parsed.success) {
      this.logger.warn(`channel: dropped a malformed ${event} event: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    // ws hands over every frame of a TCP chunk in one synchronous loop, so a response
    // and the events after it arrive back to back, and promise callbacks run only
    // afterwards. Dispatching events in a microtask keeps wire order for a `.then` on
    // a request: a snapshot's handler runs before the events that followed the snapshot.
    queueMicrotask(() => this.eventListeners.get(event)?.fire(parsed.data));
  }

  private handleClose(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new ChannelRequestError(entry.method, 'closed', 'the channel closed before the answer came'));
      this.pending.delete(id);
    }
    this.closeListeners.fire(info);
    this.closeListeners.clear();
    for (const listeners of this.eventListeners.values()) listeners.clear();
  }
}

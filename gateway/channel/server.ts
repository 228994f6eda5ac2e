/**
 * The channel's WebSocket server. Binds 127.0.0.1 by default; a connection must
 * carry the run's token in its URL (`?token=…`) or it is refused with 401 before
 * the WebSocket handshake, so nothing else on the machine can drive the gateway,
 * and a web page is refused with 403 (upgradeCheck.ts). Given a certificate it
 * speaks TLS (wss://), for clients on other machines; such a channel also locks out
 * an address that keeps sending wrong tokens (tokenGuessLimiter.ts). What waits for each
 * connection is bounded (clientFlow.ts): one that stops reading misses messages,
 * is told how many, and is closed if it stays stuck; the others never wait on it.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TOKEN_QUERY_PARAM, UNREADABLE_REQUEST_ID, type EventData, type EventName } from '../api/channel';
import type { Logger } from '../engine/logger';
import { isLoopbackHost } from '../transport/loopback';
import { ClientFlow, DEFAULT_FLOW_LIMITS, type FlowLimits } from './clientFlow';
import { dispatch, errorResponse, type ChannelCaller, type MethodHandlers } from './dispatcher';
import { tokenMatches } from './token';
import { DEFAULT_GUESS_LIMITS, TokenGuessLimiter, type GuessLimits } from './tokenGuessLimiter';
import { refusedUpgrade } from './upgradeCheck';

export interface ChannelServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  handlers: MethodHandlers;
  logger: Logger;
  /** How much may wait for one connection, and for how long (DEFAULT_FLOW_LIMITS). */
  flow?: Partial<FlowLimits>;
  /** PEM certificate (chain) and private key: the channel is wss://. */
  tls?: { cert: Buffer; key: Buffer };
  /**
   * Lock out addresses that keep sending wrong tokens (DEFAULT_GUESS_LIMITS when
   * true); false on the editor's loopback channel, where every local process shares
   * one address. Defaults to on with TLS or off loopback.
   */
  guessLimits?: boolean | GuessLimits;
}

/** A whole bifrost.json fits easily; anything bigger is a mistake or an attack. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long a client has to answer the gateway's close before it is cut off. */
const CLOSE_GRACE_MS = 1000;

export class ChannelServer {
  private readonly http: http.Server | https.Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, ClientFlow>();
  private readonly flowLimits: FlowLimits;
  /** The bound port, for the Host and Origin checks. */
  private port = 0;
  /** Connections that asked for the `frames` event (capture.watch). */
  private readonly frameWatchers = new Set<WebSocket>();
  private frameWatchersListener: (count: number) => void = () => {};
  private readonly guesses: TokenGuessLimiter | undefined;

  constructor(private readonly options: ChannelServerOptions) {
    this.flowLimits = { ...DEFAULT_FLOW_LIMITS, ...options.flow };
    const notWebSocket = (_request: http.IncomingMessage, response: http.ServerResponse) => {
      response.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' });
      response.end('this is the Bifrost gateway channel: connect with a WebSocket\n');
    };
    this.http = options.tls
      ? https.createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, notWebSocket)
      : http.createServer(notWebSocket);
    // A failed TLS handshake (a plain ws:// client, an untrusting client) is the client's business, not an error of the gateway.
    this.http.on('tlsClientError', (error, socket) => {
      this.options.logger.log('debug', `TLS handshake with ${socket.remoteAddress} failed: ${error.message}`);
    });
    const limits = options.guessLimits ?? (options.tls !== undefined || !isLoopbackHost(options.host));
    this.guesses = limits === false ? undefined : new TokenGuessLimiter(limits === true ? DEFAULT_GUESS_LIMITS : limits);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  /** Listen; rejects with the socket error (EADDRINUSE…) so the caller can word it. */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.http.once('error', onError);
      this.http.listen({ host: this.options.host, port: this.options.port }, () => {
        this.http.off('error', onError);
        this.http.on('error', (error) => this.options.logger.log('error', `channel server: ${error.message}`));
        const address = this.http.address();
        if (address === null || typeof address === 'string') return reject(new Error('the channel has no TCP address'));
        this.port = address.port;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Called with the number of connections watching frames whenever it changes. */
  onFrameWatchers(listener: (count: number) => void): void {
    this.frameWatchersListener = listener;
  }

  broadcast<E extends EventName>(event: E, data: EventData<E>): void {
    // Frames go only to the connections that asked for them.
    const to = event === 'frames' ? this.frameWatchers : this.clients.keys();
    let text: string | undefined;
    for (const client of to) {
      text ??= JSON.stringify({ type: 'event', event, data });
      this.clients.get(client)?.send(text, 'events');
    }
  }

  async close(): Promise<void> {
    // Say goodbye (1001, going away) so an attached editor shows the gateway stopped rather than a dropped link;
    // a client that does not answer the close within the grace period is cut off.
    const closing = [...this.clients].map(([client, flow]) => {
      flow.close();
      return new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => {
          client.terminate();
          resolve();
        }, CLOSE_GRACE_MS);
        client.once('close', () => {
          clearTimeout(cutOff);
          resolve();
        });
        client.close(1001, 'the gateway is stopping');
      });
    });
    await Promise.all(closing);
    this.wss.close();
    await new Promise<void>((resolve) => {
      if (!this.http.listening) return resolve();
      this.http.close(() => resolve());
    });
  }

  private watchFrames(client: WebSocket, live: boolean): number {
    const before = this.frameWatchers.size;
    if (live && this.clients.has(client)) this.frameWatchers.add(client);
    else this.frameWatchers.delete(client);
    if (this.frameWatchers.size !== before) this.frameWatchersListener(this.frameWatchers.size);
    return this.frameWatchers.size;
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const from = request.socket.remoteAddress ?? 'an unknown address';
    const refused = refusedUpgrade(request.headers, { host: this.options.host, port: this.port, tls: this.options.tls !== undefined });
    if (refused) {
      this.options.logger.log('warn', `refused a channel connection from ${from}: ${refused}`);
      return refuse(socket, '403 Forbidden', 'not a client of this gateway\n');
    }
    const locked = this.guesses?.check(from);
    if (locked?.locked) {
      const seconds = Math.ceil(locked.retryAfterMs / 1000);
      return refuse(socket, '429 Too Many Requests', `too many wrong tokens from ${from}; try again in ${seconds} s\n`, `Retry-After: ${seconds}\r\n`);
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!tokenMatches(this.options.token, url.searchParams.get(TOKEN_QUERY_PARAM))) {
      const lockout = this.guesses?.failed(from);
      this.options.logger.log(
        'warn',
        `refused a channel connection from ${from}: missing or wrong token` +
          (lockout ? `; refusing every connection from ${from} for ${Math.round(lockout.lockoutMs / 1000)} s (too many wrong tokens: someone guessing?)` : ''),
      );
      return refuse(socket, '401 Unauthorized', 'missing or wrong token\n');
    }
    this.guesses?.succeeded(from);
    this.wss.handleUpgrade(request, socket, head, (client) => this.accept(client));
  }

  private accept(client: WebSocket): void {
    const flow = new ClientFlow(client, this.flowLimits, (missed) => {
      const behind = Math.round((Date.now() - missed.since) / 1000);
      this.options.logger.log(
        'warn',
        `closed a channel connection that stopped reading: ${behind} s behind, ${missed.events} events and ${missed.responses} responses not sent`,
      );
    });
    this.clients.set(client, flow);
    this.options.logger.log('debug', `channel client connected (${this.clients.size} now)`);
    const caller: ChannelCaller = { watchFrames: (live) => this.watchFrames(client, live) };
    client.on('message', (data, isBinary) => {
      // One macrotask per request: the answers to those before it have been sent (or
      // counted) by then, so a burst of requests sees the connection fall behind.
      setImmediate(() => {
        if (flow.refuseRequest()) return;
        const answer = isBinary
          ? Promise.resolve(errorResponse(UNREADABLE_REQUEST_ID, 'bad_message', 'binary messages are not part of the channel; send JSON text'))
          : dispatch(rawToText(data), this.options.handlers, this.options.logger, caller);
        void answer.then((response) => flow.send(JSON.stringify(response), 'responses'));
      });
    });
    client.on('error', (error) => this.options.logger.log('debug', `channel client error: ${error.message}`));
    client.on('close', () => {
      flow.close();
      this.clients.delete(client);
      this.watchFrames(client, false);
      this.options.logger.log('debug', `channel client disconnected (${this.clients.size} left)`);
    });
  }
}

function refuse(socket: Duplex, status: string, body: string, extraHeaders = ''): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extraHeaders}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}

/** A minimal channel client for tests: typed requests, and waiting for events. */
import WebSocket from 'ws';
import {
  ServerMessage,
  TOKEN_QUERY_PARAM,
  type ChannelError,
  type EventData,
  type EventName,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type TagValue,
} from '../../../gateway/api/channel';
import { within } from './wait';

type Reply = { ok: true; result: unknown } | { ok: false; error: ChannelError };

export class TestChannelClient {
  private nextId = 1;
  private readonly replies = new Map<number, (reply: Reply) => void>();
  private readonly listeners = new Set<(event: string, data: unknown) => void>();
  /** Every event received, in order. */
  readonly events: { event: string; data: unknown }[] = [];
  /** Responses that matched no request (e.g. to unreadable messages). */
  readonly orphanResponses: Reply[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = ServerMessage.parse(JSON.parse(String(data)));
      if (message.type === 'event') {
        this.events.push({ event: message.event, data: message.data });
        for (const listener of this.listeners) listener(message.event, message.data);
        return;
      }
      const reply: Reply = message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error };
      const resolve = this.replies.get(message.id);
      this.replies.delete(message.id);
      if (resolve) resolve(reply);
      else this.orphanResponses.push(reply);
    });
  }

  static connect(port: number, token: string): Promise<TestChannelClient> {
    return TestChannelClient.open(`ws://127.0.0.1:${port}/`, token);
  }

  /** Any channel URL (wss:// with `options.ca` for a self-signed gateway). */
  static open(url: string, token: string, options: WebSocket.ClientOptions = {}): Promise<TestChannelClient> {
    const socket = new WebSocket(`${url}?${TOKEN_QUERY_PARAM}=${token}`, options);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new TestChannelClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Send a request; resolve with the whole reply, ok or not. */
  raw(method: string, params: unknown): Promise<Reply> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ type: 'request', id, method, params }));
    return within(new Promise<Reply>((resolve) => this.replies.set(id, resolve)), 5000, `the reply to ${method}`);
  }

  async request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const reply = await this.raw(method, params);
    if (!reply.ok) throw new Error(`${method} failed: ${reply.error.code}: ${reply.error.message}`);
    return reply.result as MethodResult<M>;
  }

  /** A position in the event history: pass it as `after` to ignore what came before. */
  mark(): number {
    return this.events.length;
  }

  /** The first event (received since `after`, or arriving) for which `predicate` holds. */
  waitForEvent<E extends EventName>(
    event: E,
    predicate: (data: EventData<E>) => boolean,
    options: { timeoutMs: number; what: string; after?: number },
  ): Promise<EventData<E>> {
    const { timeoutMs, what, after = 0 } = options;
    const seen = this.events.slice(after).find((e) => e.event === event && predicate(e.data as EventData<E>));
    if (seen) return Promise.resolve(seen.data as EventData<E>);
    let listener: (name: string, data: unknown) => void = () => {};
    const found = new Promise<EventData<E>>((resolve) => {
      listener = (name, data) => {
        if (name === event && predicate(data as EventData<E>)) resolve(data as EventData<E>);
      };
      this.listeners.add(listener);
    });
    return within(found, timeoutMs, what).finally(() => this.listeners.delete(listener));
  }

  /** The first reading of one tag that satisfies `predicate`. */
  async waitForTagValue(
    device: string,
    tag: string,
    predicate: (value: TagValue) => boolean,
    options: { timeoutMs: number; what: string; after?: number },
  ): Promise<TagValue> {
    const matches = (value: TagValue) => value.device === device && value.tag === tag && predicate(value);
    const batch = await this.waitForEvent('tag.values', (data) => data.values.some(matches), options);
    return batch.values.find(matches)!;
  }

  close(): void {
    this.socket.close();
  }
}

/** What a WebSocket upgrade without (or with a wrong) token, or with headers a gateway refuses, gets: the HTTP status. */
export function refusedStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.close();
      reject(new Error('the connection was accepted'));
    });
    socket.once('error', () => {});
  });
}

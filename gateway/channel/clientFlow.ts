/**
 * What the gateway queues for one channel connection, bounded. A client that stops
 * reading (a frozen webview host, a paused debugger, a script that never reads its
 * socket) must not grow the gateway without end, and must not hold anyone else up.
 *
 * Past `maxBufferedBytes` waiting in its socket, a connection gets nothing more,
 * events and responses alike: each is counted instead. Once it has drained below
 * half that, it gets one `channel.missed` event with the counts (then it knows to
 * ask for a fresh snapshot and to give up on the requests it still waits for).
 * A connection still over the bound after `stuckMs` is closed.
 */
import type { WebSocket } from 'ws';
import type { EventData } from '../api/channel';

export interface FlowLimits {
  /** Bytes that may wait in one connection's socket before it misses messages. */
  maxBufferedBytes: number;
  /** How long a connection may stay over the bound before it is closed. */
  stuckMs: number;
  /** How often a stalled connection is looked at. */
  checkMs: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = { maxBufferedBytes: 8 * 1024 * 1024, stuckMs: 30_000, checkMs: 100 };

type Missed = EventData<'channel.missed'>;

export class ClientFlow {
  private missed?: Missed;
  private stalledAt = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: WebSocket,
    private readonly limits: FlowLimits,
    private readonly onStuck: (missed: Missed) => void,
  ) {}

  /** Whether the connection is behind and missing messages. */
  get stalled(): boolean {
    return this.missed !== undefined;
  }

  /** Send `text` unless the connection is past its bound; returns whether it went. */
  send(text: string, kind: 'events' | 'responses'): boolean {
    if (this.client.readyState !== this.client.OPEN) return false;
    if (this.missed === undefined && this.client.bufferedAmount <= this.limits.maxBufferedBytes) {
      this.client.send(text);
      return true;
    }
    this.missed ??= this.startStall();
    this.missed[kind]++;
    return false;
  }

  /**
   * Whether a request that came now must be dropped: its answer could not be sent (the
   * connection is past its bound), so the work (a snapshot…) is not done either; counted.
   */
  refuseRequest(): boolean {
    if (this.missed === undefined && this.client.bufferedAmount <= this.limits.maxBufferedBytes) return false;
    this.missed ??= this.startStall();
    this.missed.responses++;
    return true;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private startStall(): Missed {
    this.stalledAt = Date.now();
    this.timer = setInterval(() => this.check(), this.limits.checkMs);
    this.timer.unref();
    return { events: 0, responses: 0, since: this.stalledAt };
  }

  private check(): void {
    const missed = this.missed;
    if (!missed || this.client.readyState !== this.client.OPEN) return this.close();
    if (this.client.bufferedAmount <= this.limits.maxBufferedBytes / 2) {
      this.close();
      this.missed = undefined;
      this.client.send(JSON.stringify({ type: 'event', event: 'channel.missed', data: missed }));
      return;
    }
    if (Date.now() - this.stalledAt >= this.limits.stuckMs) {
      this.close();
      this.onStuck(missed);
      this.client.terminate();
    }
  }
}

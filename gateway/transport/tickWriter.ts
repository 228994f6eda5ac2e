/**
 * Frames queued on a socket in one tick leave in one write.
 *
 * A CPU profile of pipelined traffic put most of the time in the write system call
 * itself, one per frame. Coalescing what is queued before the next tick costs no
 * latency (nothing else runs in between) and turns eight requests, or eight
 * replies to a proxy's client, into one write.
 */
import type { Socket } from 'node:net';

export class TickWriter {
  private outbox: Buffer[] = [];

  constructor(private readonly socket: Socket) {}

  push(frame: Buffer): void {
    if (this.outbox.length === 0) process.nextTick(flushWriter, this);
    this.outbox.push(frame);
  }

  /** Write what is queued now; also called before a close so nothing queued is lost. */
  flush(): void {
    const outbox = this.outbox;
    if (outbox.length === 0) return;
    this.outbox = [];
    if (this.socket.destroyed) return;
    this.socket.write(outbox.length === 1 ? outbox[0] : Buffer.concat(outbox));
  }
}

// A plain function, not a closure per tick: this runs once per batch on the hot path.
function flushWriter(writer: TickWriter): void {
  writer.flush();
}

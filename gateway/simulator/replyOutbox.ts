/**
 * The way replies leave one simulated connection: one after another, like a
 * device's single transmitter. A reply sent a byte at a time (the "split" fault)
 * holds back every reply behind it until its last byte is out, so two replies
 * never interleave; a "coalesce" fault's held reply leaves in front of the next.
 */
import type net from 'node:net';

export type Wait = (ms: number) => Promise<void>;

export class ReplyOutbox {
  /** Replies a "coalesce" fault holds back for the next write. */
  readonly held: Buffer[] = [];
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly socket: net.Socket,
    private readonly wait: Wait,
  ) {}

  /** Write now, or after what is being dribbled out, with any held replies in front. */
  write(bytes: Buffer): void {
    const out = this.held.length > 0 ? Buffer.concat([...this.held.splice(0), bytes]) : bytes;
    if (this.queued === 0) this.send(out);
    else this.enqueue(async () => this.send(out));
  }

  /** Write `bytes` one at a time, `gapMs` apart, after anything queued. */
  dribble(bytes: Buffer, gapMs: number): void {
    this.enqueue(async () => {
      for (let i = 0; i < bytes.length && !this.socket.destroyed; i++) {
        this.send(bytes.subarray(i, i + 1));
        if (i + 1 < bytes.length) await this.wait(gapMs);
      }
    });
  }

  private enqueue(work: () => Promise<void>): void {
    this.queued++;
    this.queue = this.queue.then(work).finally(() => this.queued--);
  }

  private send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }
}

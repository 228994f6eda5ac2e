/**
 * The time budgets of a proxy's requests: every request gets the same budget from
 * the moment it arrived, so their deadlines come in arrival order and a FIFO holds
 * them sorted. One timer, armed for the oldest deadline, serves them all: a
 * request costs no setTimeout/clearTimeout pair of its own (under load those were
 * a large part of the proxy's per-request work). Answered requests leave from the
 * front as soon as everything older is answered, so the FIFO stays as short as the
 * number of requests outstanding.
 */
export interface Budgeted {
  /** performance.now() past which the request is answered 0x0B. */
  readonly deadline: number;
  readonly answered: boolean;
}

export class Budgets<T extends Budgeted> {
  private items: T[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;
  private readonly sweepBound = () => this.sweep();

  constructor(private readonly expire: (item: T) => void) {}

  /** Track `item`; its deadline must not be earlier than the last one added's. */
  add(item: T): void {
    this.items.push(item);
    if (this.timer === undefined) this.arm(item.deadline);
  }

  /** Forget answered requests at the front (call after answering one). */
  trim(): void {
    const items = this.items;
    while (this.head < items.length && items[this.head].answered) this.head++;
    if (this.head === items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }

  /** Stop the timer and forget everything (the proxy stopped). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
    this.head = 0;
  }

  private arm(deadline: number): void {
    // Never early: sweep() re-arms for whatever is not due yet.
    this.timer = setTimeout(this.sweepBound, Math.max(1, Math.ceil(deadline - performance.now())));
  }

  private sweep(): void {
    this.timer = undefined;
    const now = performance.now();
    this.trim();
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      if (!item.answered && item.deadline > now) break;
      this.head++;
      if (!item.answered) this.expire(item);
    }
    this.trim();
    if (this.head < this.items.length) this.arm(this.items[this.head].deadline);
  }
}

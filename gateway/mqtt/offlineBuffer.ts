/**
 * Messages held while the broker is unreachable, at most `limit` of them. When full,
 * the oldest goes: the newest values matter most, and every tag's latest value is
 * published again on reconnect anyway. What was dropped is counted, so it can be said.
 */
export class OfflineBuffer<T> {
  private items: T[] = [];
  private head = 0;
  /** Dropped since the buffer last drained (reported on reconnect). */
  private droppedSinceDrain = 0;

  constructor(readonly limit: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Keep `item`; returns true when that pushed the oldest out (or, with limit 0, dropped `item` itself). */
  push(item: T): boolean {
    if (this.limit === 0) {
      this.droppedSinceDrain++;
      return true;
    }
    this.items.push(item);
    if (this.size <= this.limit) return false;
    this.head++;
    this.droppedSinceDrain++;
    // Compact now and then instead of shifting an array of thousands on every drop.
    if (this.head >= this.limit) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  /** Everything held, oldest first, and how many were dropped to make room; the buffer is empty after. */
  drain(): { items: T[]; dropped: number } {
    const items = this.items.slice(this.head);
    const dropped = this.droppedSinceDrain;
    this.items = [];
    this.head = 0;
    this.droppedSinceDrain = 0;
    return { items, dropped };
  }
}

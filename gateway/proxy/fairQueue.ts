/**
 * Round-robin across clients: each client has its own FIFO lane, and the next
 * request taken is the oldest of the next client in turn. A client that pipelines
 * a hundred requests gets one slot per round like everyone else, so it cannot
 * starve the others (a single FIFO, or modbus-proxy's one lock, would serve it first).
 *
 * Every operation is O(1): a flood of pipelined requests from one client must not
 * turn the queue itself into the bottleneck (indexOf + splice took most of the CPU
 * under 100k queued requests). A lane is an insertion-ordered Set, so taking one
 * item out wherever it waits is a delete; a lane emptied that way leaves its turn
 * behind as a stale entry that shift() skips. Items must be distinct (requests are
 * objects).
 */
interface Lane<Owner, Item> {
  owner: Owner;
  items: Set<Item>;
}

export class FairQueue<Owner, Item> {
  private readonly lanes = new Map<Owner, Lane<Owner, Item>>();
  /** Lanes with queued items, in turn order; `head` is the next one (a deque without shift()). */
  private turns: Lane<Owner, Item>[] = [];
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** How many items `owner` has queued now. */
  sizeOf(owner: Owner): number {
    return this.lanes.get(owner)?.items.size ?? 0;
  }

  push(owner: Owner, item: Item): void {
    let lane = this.lanes.get(owner);
    if (!lane) {
      lane = { owner, items: new Set() };
      this.lanes.set(owner, lane);
      this.turns.push(lane);
    }
    lane.items.add(item);
    this.count++;
  }

  /** The next item in round-robin order, or undefined when empty. */
  shift(): Item | undefined {
    while (this.head < this.turns.length) {
      const lane = this.turns[this.head++];
      this.compact();
      // A lane emptied by remove() or removeOwner() is no longer in the map: its turn is stale.
      if (this.lanes.get(lane.owner) !== lane) continue;
      const item: Item = lane.items.values().next().value!;
      lane.items.delete(item);
      this.count--;
      if (lane.items.size > 0) this.turns.push(lane);
      else this.lanes.delete(lane.owner);
      return item;
    }
    return undefined;
  }

  /** Take one item out wherever it waits (its time budget ran out). Returns whether it was queued. */
  remove(owner: Owner, item: Item): boolean {
    const lane = this.lanes.get(owner);
    if (!lane || !lane.items.delete(item)) return false;
    this.count--;
    if (lane.items.size === 0) this.lanes.delete(owner);
    return true;
  }

  /** Everything `owner` still has queued, removed (the client went away). */
  removeOwner(owner: Owner): Item[] {
    const lane = this.lanes.get(owner);
    if (!lane) return [];
    this.lanes.delete(owner);
    this.count -= lane.items.size;
    return [...lane.items];
  }

  /** Drop the consumed front of the turn list once it is most of the array (amortised O(1)). */
  private compact(): void {
    if (this.head === this.turns.length) {
      this.turns = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.turns.length) {
      this.turns = this.turns.slice(this.head);
      this.head = 0;
    }
  }
}

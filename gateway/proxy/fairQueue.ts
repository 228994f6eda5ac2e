/**
 * Round-robin across clients: each client has its own FIFO lane, and the next
 * request taken is the oldest of the next client in turn. A client that pipelines
 * a hundred requests gets one slot per round like everyone else, so it cannot
 * starve the others (a single FIFO, or modbus-proxy's one lock, would serve it first).
 */
export class FairQueue<Owner, Item> {
  private readonly lanes = new Map<Owner, Item[]>();
  /** Owners with queued items, in turn order. */
  private readonly turns: Owner[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(owner: Owner, item: Item): void {
    let lane = this.lanes.get(owner);
    if (!lane) {
      lane = [];
      this.lanes.set(owner, lane);
      this.turns.push(owner);
    }
    lane.push(item);
    this.count++;
  }

  /** The next item in round-robin order, or undefined when empty. */
  shift(): Item | undefined {
    const owner = this.turns.shift();
    if (owner === undefined) return undefined;
    const lane = this.lanes.get(owner)!;
    const item = lane.shift()!;
    this.count--;
    if (lane.length > 0) this.turns.push(owner);
    else this.lanes.delete(owner);
    return item;
  }

  /** Take one item out wherever it waits (its time budget ran out). Returns whether it was queued. */
  remove(owner: Owner, item: Item): boolean {
    const lane = this.lanes.get(owner);
    const index = lane ? lane.indexOf(item) : -1;
    if (!lane || index < 0) return false;
    lane.splice(index, 1);
    this.count--;
    if (lane.length === 0) this.forget(owner);
    return true;
  }

  /** Everything `owner` still has queued, removed (the client went away). */
  removeOwner(owner: Owner): Item[] {
    const lane = this.lanes.get(owner);
    if (!lane) return [];
    this.count -= lane.length;
    this.forget(owner);
    return lane;
  }

  private forget(owner: Owner): void {
    this.lanes.delete(owner);
    const turn = this.turns.indexOf(owner);
    if (turn >= 0) this.turns.splice(turn, 1);
  }
}

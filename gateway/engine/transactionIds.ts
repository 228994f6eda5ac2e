/**
 * The session's own 16-bit transaction ids. Ids still waiting for a reply are
 * skipped, so after a wrap a late reply can never match a newer request
 * (modbus-serial wraps at 256 and never forgets ids: node-modbus-serial#573).
 */

export class TransactionIds {
  private last = 0;

  next(inUse: (id: number) => boolean): number {
    for (let tries = 0; tries < 0x10000; tries++) {
      this.last = (this.last + 1) & 0xffff;
      if (!inUse(this.last)) return this.last;
    }
    throw new Error('all 65536 transaction ids are waiting for replies');
  }
}

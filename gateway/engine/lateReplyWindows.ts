/**
 * After a request to a unit on a serial line times out, its reply may still come:
 * a device slower than the timeout answers anyway. RTU and ASCII have no
 * transaction id, so that late reply, arriving while the next request to the same
 * unit waits, would be taken as the next one's answer: another tag's value. So the
 * unit is not asked again until its late reply has come (and been dropped) or two
 * more timeouts have passed (a reply up to three timeouts late is caught), the way
 * libmodbus's error recovery waits out a timeout before its next request. Other
 * units are asked meanwhile: their replies carry their own unit id. A unit that
 * answers nothing at all is asked a third as often; nobody else waits for it.
 */

/** Timeouts a unit stays unasked after one of its requests timed out, unless its late reply comes first. */
export const LATE_REPLY_WINDOW = 2;

export class LateReplyWindows {
  /** Unit id → performance.now() until which its late reply may still arrive. */
  private readonly until = new Map<number, number>();
  private wake?: () => void;

  /** A request to `unitId` timed out after `timeoutMs`: listen for its reply before asking it anything. */
  open(unitId: number, timeoutMs: number): void {
    this.until.set(unitId, performance.now() + LATE_REPLY_WINDOW * timeoutMs);
  }

  /** A frame from `unitId` came with no request waiting for it: the late reply is in, ask again. */
  close(unitId: number): void {
    if (this.until.delete(unitId)) this.wake?.();
  }

  isOpen(unitId: number, now = performance.now()): boolean {
    const until = this.until.get(unitId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(unitId);
    return false;
  }

  /** Resolves when the first open window ends, or one is closed early. */
  waitForOne(): Promise<void> {
    const now = performance.now();
    const first = Math.min(...this.until.values());
    return new Promise((resolve) => {
      const timer = setTimeout(finish, Math.max(0, first - now));
      const wake = () => finish();
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        wake();
      };
    });
  }

  clear(): void {
    this.until.clear();
    this.wake?.();
  }
}

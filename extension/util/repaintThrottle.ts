/**
 * Runs a repaint at most once per interval. The first request after a quiet spell
 * runs at once (nothing to coalesce, so no reason to make the user wait); a burst
 * of requests waits for the interval and then runs once.
 */
export class RepaintThrottle {
  private timer: NodeJS.Timeout | undefined;
  private lastRun = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly repaint: () => void,
  ) {}

  schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastRun + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = Date.now();
      this.repaint();
    }, wait);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Waits of a few milliseconds, kept accurate. setTimeout fires up to ~1-2 ms late,
 * which at 115200 baud is a third of a whole request's bus time; t3.5 there is
 * 1.75 ms. So: sleep with setTimeout until shortly before the deadline, then
 * yield with setImmediate until it has passed (a short, bounded spin that still
 * lets I/O run).
 */

const SPIN_MS = 1.5;

export function preciseDelay(ms: number): Promise<void> {
  const due = performance.now() + ms;
  return new Promise((resolve) => {
    const spin = () => (performance.now() >= due ? resolve() : setImmediate(spin));
    if (ms > SPIN_MS + 0.5) setTimeout(spin, ms - SPIN_MS);
    else spin();
  });
}

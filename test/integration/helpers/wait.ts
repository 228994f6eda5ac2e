/** Waiting on conditions with a deadline instead of sleeping a fixed time. */

/**
 * Resolve once `predicate` holds, checking every 10 ms (after running `refresh`,
 * if given, to fetch fresh state); fail naming `what` after `timeoutMs`.
 */
export async function until(
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
  refresh?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh?.();
    if (predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reject `promise` with a message naming what did not happen in time. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

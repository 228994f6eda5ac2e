/**
 * When the gateway stops: on SIGINT/SIGTERM, and when stdin reaches its end,
 * which is how a child learns that its parent (the extension host) went away,
 * even if the parent was killed and could not signal.
 */
import fs from 'node:fs';

/** Close gracefully, but never hang on the way out. */
const SHUTDOWN_DEADLINE_MS = 3000;

export interface ShutdownOptions {
  watchStdin: boolean;
}

/** Returns the stop itself, for a command that ends on its own (capture --seconds). */
export function onShutdown(close: (why: string) => Promise<void>, options: ShutdownOptions): (why: string) => void {
  let stopping = false;
  const stop = (why: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(exitCode), SHUTDOWN_DEADLINE_MS).unref();
    close(why).then(
      () => process.exit(exitCode),
      (error: unknown) => {
        process.stderr.write(`error while shutting down: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (options.watchStdin && stdinIsParentPipe()) {
    process.stdin.on('end', () => stop('stdin closed (parent went away)'));
    process.stdin.on('error', () => stop('stdin failed (parent went away)'));
    // Read and discard, so EOF is noticed.
    process.stdin.on('data', () => {});
    process.stdin.resume();
  }
  return stop;
}

/**
 * Only a pipe or socket on stdin means "a parent holds the other end". A terminal
 * never ends by itself, and /dev/null (a service manager's default) ends at once,
 * which must not stop a headless gateway.
 */
function stdinIsParentPipe(): boolean {
  try {
    const stat = fs.fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/**
 * The bench's child processes (the reference server, the simulator, socat): each
 * started with a deadline to come up, and every one killed when the bench ends,
 * however it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

export interface Started {
  child: ChildProcess;
  match: RegExpMatchArray;
}

/** Start `command` and wait (at most `timeoutMs`) for a stdout or stderr line matching `pattern`. */
export function startChild(command: string, args: string[], pattern: RegExp, timeoutMs = 15_000): Promise<Started> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no line matching ${pattern} within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      stopChild(child);
      reject(new Error(`${command} ${args.join(' ')}: ${why}\n${output.trim()}`));
    };
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        // Stop collecting: a chatty child (a gateway logging 5,000 connects) would cost the bench quadratic time.
        child.stdout?.off('data', look);
        child.stderr?.off('data', look);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, match });
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code, signal) => fail(`exited (${code ?? signal})`));
  });
}

/** A bundled program (see programs.ts) run by this same Node. */
export function startNodeChild(script: string, args: string[], pattern: RegExp, timeoutMs?: number): Promise<Started> {
  return startChild(process.execPath, [script, ...args], pattern, timeoutMs);
}

export function stopChild(child: ChildProcess): void {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  child.kill('SIGTERM');
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 2000).unref();
}

export function stopAllChildren(): void {
  for (const child of [...running]) stopChild(child);
}

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

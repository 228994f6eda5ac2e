/**
 * A real serial line for tests: socat links two pseudo-terminals, and bytes
 * written to one end come out of the other, through the kernel's tty layer.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, type Child } from './childProcess';
import { until } from './wait';

export interface PtyPair {
  /** The end the gateway opens. */
  a: string;
  /** The end the simulator opens. */
  b: string;
  socat: Child;
}

export function requireSocat(): void {
  try {
    execFileSync('which', ['socat'], { stdio: 'pipe' });
  } catch {
    throw new Error('socat is not installed: the serial tests need pseudo-terminal pairs from it. Install it with "apt-get install socat".');
  }
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-pty-'));
  const a = path.join(dir, 'gateway');
  const b = path.join(dir, 'device');
  const socat = start('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`]);
  await until(() => fs.existsSync(a) && fs.existsSync(b), 5000, `socat to create ${a} and ${b}`);
  return { a, b, socat };
}

/**
 * A real serial line for tests: socat links two pseudo-terminals, and bytes
 * written to one end come out of the other, through the kernel's tty layer.
 *
 * A pair can also be "unplugged" (socat SIGKILLed, so both ptys vanish under
 * whoever has them open, like a USB-serial adapter pulled out) and "plugged back
 * in" under the same link names, the way udev brings back /dev/ttyUSB0.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, type Child } from './childProcess';
import { until, within } from './wait';

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

/** A new pair under fresh link names, or (given `names`) under the names of one that was unplugged. */
/** Folders of the links made here: kept while the tests run (a pair may be unplugged and plugged back), removed at exit. */
const linkFolders = new Set<string>();
process.once('exit', () => {
  for (const dir of linkFolders) fs.rmSync(dir, { recursive: true, force: true });
});

export async function startPtyPair(names?: { a: string; b: string }): Promise<PtyPair> {
  let a: string;
  let b: string;
  if (names) {
    ({ a, b } = names);
    // Links a SIGKILLed socat left behind would point at /dev/pts numbers the kernel may
    // already have given to someone else: never let the wait below see those.
    removeLinks(a, b);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-pty-'));
    linkFolders.add(dir);
    a = path.join(dir, 'gateway');
    b = path.join(dir, 'device');
  }
  const socat = start('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`]);
  // Wait until both links point at the ptys this socat reports ("N PTY is /dev/pts/7").
  const ptys = () => socat.stderr.map((line) => line.match(/PTY is (\S+)/)?.[1]).filter((pty): pty is string => pty !== undefined);
  await until(
    () => {
      const [ptyA, ptyB] = ptys();
      return ptyB !== undefined && readLink(a) === ptyA && readLink(b) === ptyB && fs.existsSync(a) && fs.existsSync(b);
    },
    5000,
    `socat to create ${a} and ${b}`,
  );
  return { a, b, socat };
}

/**
 * Pull the plug: SIGKILL socat, so both ptys vanish at once with no goodbye, then remove
 * the links it could not clean up, as udev removes the node of an unplugged adapter.
 */
export async function unplugPtyPair(pair: PtyPair): Promise<void> {
  pair.socat.process.kill('SIGKILL');
  await within(pair.socat.exited, 5000, 'socat to die');
  removeLinks(pair.a, pair.b);
}

function readLink(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}

function removeLinks(...links: string[]): void {
  for (const link of links) fs.rmSync(link, { force: true });
}

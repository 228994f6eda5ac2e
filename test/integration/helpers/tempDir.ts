/** Temp folders the test process makes, removed when it exits (however the tests ended). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
let hooked = false;

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const each of made) fs.rmSync(each, { recursive: true, force: true });
    });
  }
  return dir;
}

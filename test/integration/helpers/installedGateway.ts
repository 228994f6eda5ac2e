/**
 * The gateway as an installed extension runs it: the packaged .vsix unpacked into a
 * temp folder, away from the repository's node_modules. A bundle that still finds a
 * module through the repository (one a library loads by a hidden require) works from
 * dist/ and breaks here, as it would for a user.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packagedVsix } from './shippedBundle';

let unpacked: string | undefined;

export function installedGatewayJs(): string {
  if (!unpacked) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-installed-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    execFileSync('unzip', ['-q', packagedVsix(), '-d', dir]);
    unpacked = dir;
  }
  return path.join(unpacked, 'extension/dist/gateway.js');
}

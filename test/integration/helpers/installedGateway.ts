/**
 * The gateway as an installed extension runs it: the packaged .vsix unpacked into a
 * temp folder, away from the repository's node_modules. A bundle that still finds a
 * module through the repository (one a library loads by a hidden require) works from
 * dist/ and breaks here, as it would for a user.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { packagedVsix } from './shippedBundle';
import { tempDir } from './tempDir';

let unpacked: string | undefined;

export function installedGatewayJs(): string {
  if (!unpacked) {
    const dir = tempDir('bifrost-installed-');
    execFileSync('unzip', ['-q', packagedVsix(), '-d', dir]);
    unpacked = dir;
  }
  return path.join(unpacked, 'extension/dist/gateway.js');
}

/**
 * The integration suite runs the gateway the .vsix ships: the minified production
 * bundle, not a development build. A bug that only minification brings out (a class
 * recognised by its name) must fail here, not in the field.
 *
 * Loaded by .mocharc.integration.json as a root hook: before anything starts, check
 * that dist/gateway.js is, byte for byte, the gateway inside the packaged .vsix.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_JS, REPO_ROOT } from './tools';

export function packagedVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(REPO_ROOT, `${name}-${version}.vsix`);
}

export function requireShippedGateway(): void {
  const vsix = packagedVsix();
  const howTo = 'run "npm run package" before the integration tests: they run the gateway the .vsix ships';
  if (!fs.existsSync(vsix)) throw new Error(`${path.basename(vsix)} is missing: ${howTo}`);
  if (!fs.existsSync(GATEWAY_JS)) throw new Error(`${GATEWAY_JS} is missing: ${howTo}`);
  const shipped = execFileSync('unzip', ['-p', vsix, 'extension/dist/gateway.js'], { maxBuffer: 64 * 1024 * 1024 });
  if (!shipped.equals(fs.readFileSync(GATEWAY_JS))) {
    throw new Error(`${GATEWAY_JS} is not the gateway inside ${path.basename(vsix)} (rebuilt since packaging?): ${howTo}`);
  }
}

export const mochaHooks = {
  beforeAll(): void {
    requireShippedGateway();
  },
};

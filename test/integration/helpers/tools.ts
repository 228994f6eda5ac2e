/**
 * Peers the integration tests need from the system. A missing one FAILS the suite
 * with the command that installs it: skipping would hide that conformance against
 * real tools was never checked.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const GATEWAY_JS = path.join(REPO_ROOT, 'dist/gateway.js');
/** Debian's python3, where python3-pymodbus is installed (not pyenv's python3 on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export function requireBuiltGateway(): void {
  if (!fs.existsSync(GATEWAY_JS)) {
    throw new Error(`${GATEWAY_JS} is missing: run "npm run build" before the integration tests`);
  }
}

export function requireMbpoll(): string {
  try {
    return execFileSync('which', ['mbpoll'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('mbpoll is not installed: these tests read the simulator with it. Install it with "apt-get install mbpoll".');
  }
}

export function requirePymodbus(): void {
  if (!fs.existsSync(SYSTEM_PYTHON)) {
    throw new Error(`${SYSTEM_PYTHON} is missing: install Debian's python3 and python3-pymodbus ("apt-get install python3-pymodbus")`);
  }
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import pymodbus.server, pymodbus.datastore'], { stdio: 'pipe' });
  } catch {
    throw new Error(`pymodbus is not importable by ${SYSTEM_PYTHON}: install it with "apt-get install python3-pymodbus" (version 3.0)`);
  }
}

export function requireTshark(): string {
  try {
    return execFileSync('which', ['tshark'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('tshark is not installed: these tests open the recorded pcapng files with it. Install it with "apt-get install tshark".');
  }
}

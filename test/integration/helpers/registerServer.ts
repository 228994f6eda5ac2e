/**
 * A pymodbus server whose registers the test lays out (peers/pymodbus_registers.py):
 * only the addresses given exist, so holes answer "illegal data address".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, type Simulator } from './childProcess';
import { SYSTEM_PYTHON } from './tools';

export interface RegisterLayout {
  hr?: Record<number, number>;
  ir?: Record<number, number>;
  co?: Record<number, number>;
  di?: Record<number, number>;
  /** Holding registers first..last not in `hr` read a new random value on every read. */
  hrNoise?: [number, number];
}

const SCRIPT = path.join(__dirname, '../peers/pymodbus_registers.py');

export async function startRegisterServer(layout: RegisterLayout): Promise<Simulator> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-registers-'));
  const file = path.join(dir, 'layout.json');
  fs.writeFileSync(file, JSON.stringify(layout));
  const child = start(SYSTEM_PYTHON, [SCRIPT, '0', file]);
  // Cleans up whenever the server exits; `exited` only resolves.
  void child.exited.then(() => fs.rmSync(dir, { recursive: true, force: true }));
  const match = await child.waitForStdout(/listening on 127\.0\.0\.1:(\d+)/, 15_000);
  return Object.assign(child, { port: Number(match[1]) });
}

/** Registers `from`..`from + values.length - 1` holding `values`, as a layout table. */
export function registersAt(from: number, values: readonly number[]): Record<number, number> {
  return Object.fromEntries(values.map((value, index) => [from + index, value]));
}

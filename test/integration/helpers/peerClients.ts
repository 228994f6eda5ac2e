/** Modbus clients that are not ours, run as a user runs them: mbpoll (TCP and RTU) and a pymodbus 3.0 script. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, SYSTEM_PYTHON } from './tools';

const run = promisify(execFile);
const PEERS = path.join(REPO_ROOT, 'test/integration/peers');

/** mbpoll over Modbus TCP, one poll, zero-based: `options` before the host, values to write after it (mbpoll's order). */
export async function mbpoll(port: number, options: string[], values: string[] = []): Promise<string> {
  const { stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-1', '-0', ...options, '127.0.0.1', ...values], { timeout: 10_000 });
  return stdout;
}

/** mbpoll over Modbus RTU on a serial port, one poll, zero-based, unit 1. */
export async function mbpollRtu(device: string, baud: number, parity: 'none' | 'even' | 'odd', options: string[], values: string[] = []): Promise<string> {
  const args = ['-m', 'rtu', '-b', String(baud), '-P', parity, '-a', '1', '-1', '-0', ...options, device, ...values];
  const { stdout } = await run('mbpoll', args, { timeout: 10_000 });
  return stdout;
}

/** The registers mbpoll printed ("[10]: 	16457", or "[4]: 	52501 (-13035)"), by address. */
export function mbpollRegisters(stdout: string): Map<number, number> {
  return new Map([...stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)].map((match) => [Number(match[1]), Number(match[2])]));
}

/** pymodbus 3.0's TCP client: write `value` at `address`, read it back, read registers 0-4. */
export async function pymodbusClient(port: number, address: number, value: number): Promise<{ write: number[]; back: number[]; block: number[] }> {
  const { stdout } = await run(SYSTEM_PYTHON, [path.join(PEERS, 'pymodbus_proxy_client.py'), String(port), String(address), String(value)], { timeout: 15_000 });
  return JSON.parse(stdout) as { write: number[]; back: number[]; block: number[] };
}

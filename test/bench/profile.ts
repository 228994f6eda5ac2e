/**
 * A small driver for profiling the TCP session's hot path (not part of
 * `npm run bench`): bundles itself and the bench responder with esbuild as the
 * bench does, starts the responder, and drives Bifrost (and, for comparison,
 * modbus-serial and the raw socket) one request at a time and pipelined.
 *
 *   npx tsx test/bench/profile.ts [--requests N] [--depth D] [--only bifrost] [--cpu-prof]
 *
 * With --cpu-prof the driver re-runs its bundle under `node --cpu-prof`, writing
 * the profile to node_modules/.cache/bifrost-profile/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchClient } from './clients';

const REPO_ROOT = path.resolve(__dirname, '../..');

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

async function sequential(client: BenchClient, count: number): Promise<{ rate: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await client.read('holdingRegister', 100, 10);
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rate: count / (elapsed / 1000), cpuUs: (used.user + used.system) / count };
}

async function pipelined(client: BenchClient, depth: number, count: number): Promise<{ rate: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let issued = 0;
  const worker = async () => {
    while (issued < count) {
      issued++;
      await client.read('holdingRegister', 100, 10);
    }
  };
  await Promise.all(Array.from({ length: depth }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rate: count / (elapsed / 1000), cpuUs: (used.user + used.system) / count };
}

/** Runs inside the bundle. */
export async function drive(fastServerJs: string): Promise<void> {
  const { startNodeChild, stopAllChildren } = await import('./children');
  const { connectBifrost, connectModbusSerial } = await import('./clients');
  const { connectRawSocket } = await import('./rawClient');
  const count = Number(arg('requests', '20000'));
  const depth = Number(arg('depth', '8'));
  const only = arg('only', '');
  const { match } = await startNodeChild(fastServerJs, [], /listening (\d+)/);
  const port = Number(match[1]);
  try {
    const clients: [string, () => Promise<BenchClient>, boolean][] = [
      ['Bifrost', () => connectBifrost(port, 1), false],
      [`Bifrost pipelined ${depth}`, () => connectBifrost(port, depth), true],
      ['modbus-serial', () => connectModbusSerial(port), false],
      [`modbus-serial pipelined ${depth}`, () => connectModbusSerial(port), true],
      ['raw socket', () => connectRawSocket(port), false],
    ];
    for (const [name, connect, pipe] of clients) {
      if (only && !name.toLowerCase().startsWith(only)) continue;
      const client = await connect();
      await (pipe ? pipelined(client, depth, 3000) : sequential(client, 3000));
      const result = await (pipe ? pipelined(client, depth, count) : sequential(client, count));
      process.stdout.write(`${name.padEnd(28)} ${Math.round(result.rate).toString().padStart(7)} req/s  ${result.cpuUs.toFixed(1).padStart(6)} µs CPU/req\n`);
      await client.close();
    }
  } finally {
    stopAllChildren();
  }
}

async function main(): Promise<void> {
  const esbuild = await import('esbuild');
  const cache = path.join(REPO_ROOT, 'node_modules/.cache');
  const outdir = path.join(cache, 'bifrost-profile');
  fs.mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { profile: 'test/bench/profile.ts', fastServer: 'test/bench/fastServer.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: !process.argv.includes('--cpu-prof'),
    mainFields: ['module', 'main'],
    external: ['serialport', '@serialport/*', 'modbus-serial', 'bufferutil', 'utf-8-validate', 'esbuild'],
    logLevel: 'warning',
  });
  const bundle = path.join(outdir, 'profile.js');
  const nodeArgs = process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${outdir}`] : [];
  const result = spawnSync(process.execPath, [...nodeArgs, '-e', `require(${JSON.stringify(bundle)}).drive(${JSON.stringify(path.join(outdir, 'fastServer.js'))}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`, '--', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
}

if (require.main === module) void main();

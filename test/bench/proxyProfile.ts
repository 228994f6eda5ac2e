/**
 * A small driver for the proxy section alone (not part of `npm run bench`): bundles
 * the gateway, the bench responder and itself with esbuild as the bench does, then
 * runs proxySection and prints its markdown.
 *
 *   npx tsx test/bench/proxyProfile.ts [--cpu-prof]
 *
 * With --cpu-prof the proxy process runs under `node --cpu-prof` (bundles unminified),
 * writing its profile to node_modules/.cache/bifrost-proxy-profile/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Programs } from './programs';

/** Runs inside the bundle. */
export async function drive(programs: Programs, profileDir: string | undefined): Promise<void> {
  const { stopAllChildren } = await import('./children');
  const { usePrograms } = await import('./programs');
  const { startFastServer } = await import('./servers');
  const { proxySection } = await import('./proxySection');
  usePrograms(programs);
  const fast = await startFastServer();
  try {
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    process.stdout.write(`${(await proxySection(fast, { nodeArgs })).join('\n')}\n`);
  } finally {
    fast.stop();
    stopAllChildren();
  }
}

async function main(): Promise<void> {
  const { bundlePrograms, REPO_ROOT } = await import('./bundlePrograms');
  const profile = process.argv.includes('--cpu-prof');
  const outdir = path.join(REPO_ROOT, 'node_modules/.cache/bifrost-proxy-profile');
  fs.mkdirSync(outdir, { recursive: true });
  const { driverJs, programs } = await bundlePrograms(outdir, { name: 'proxyProfile', entry: 'test/bench/proxyProfile.ts' }, !profile);
  const script = `require(${JSON.stringify(driverJs)}).drive(${JSON.stringify(programs)}, ${JSON.stringify(profile ? outdir : undefined)}).then(() => setTimeout(() => process.exit(0), 2500), (e) => { console.error(e); process.exit(1); })`;
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

if (require.main === module) void main();

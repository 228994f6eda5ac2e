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

const REPO_ROOT = path.resolve(__dirname, '../..');

/** Runs inside the bundle. */
export async function drive(outdir: string, profile: boolean, repoRoot: string): Promise<void> {
  const { stopAllChildren } = await import('./children');
  const { usePrograms } = await import('./programs');
  const { startFastServer } = await import('./servers');
  const { compileNative } = await import('./nativeBuild');
  const { proxySection } = await import('./proxySection');
  usePrograms({ gatewayJs: path.join(outdir, 'gateway.js'), fastServerJs: path.join(outdir, 'fastServer.js'), nodeRelayJs: path.join(outdir, 'nodeRelay.js'), native: compileNative(outdir, repoRoot) });
  const fast = await startFastServer();
  try {
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${outdir}`] : [];
    process.stdout.write(`${(await proxySection(fast, { nodeArgs })).join('\n')}\n`);
  } finally {
    fast.stop();
    stopAllChildren();
  }
}

async function main(): Promise<void> {
  const esbuild = await import('esbuild');
  const profile = process.argv.includes('--cpu-prof');
  const outdir = path.join(REPO_ROOT, 'node_modules/.cache/bifrost-proxy-profile');
  fs.mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { proxyProfile: 'test/bench/proxyProfile.ts', gateway: 'gateway/cli/main.ts', fastServer: 'test/bench/fastServer.ts', nodeRelay: 'test/bench/nodeRelay.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: !profile,
    mainFields: ['module', 'main'],
    external: ['serialport', '@serialport/*', 'modbus-serial', 'bufferutil', 'utf-8-validate', 'esbuild'],
    logLevel: 'warning',
  });
  const bundle = path.join(outdir, 'proxyProfile.js');
  const script = `require(${JSON.stringify(bundle)}).drive(${JSON.stringify(outdir)}, ${profile}, ${JSON.stringify(REPO_ROOT)}).then(() => setTimeout(() => process.exit(0), 2500), (e) => { console.error(e); process.exit(1); })`;
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

if (require.main === module) void main();

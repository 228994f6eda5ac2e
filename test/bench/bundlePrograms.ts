/**
 * Bundles a bench driver with the programs it starts (the gateway CLI, the bench
 * responder, the Node relay) the way `npm run build` bundles the shipped gateway,
 * and compiles the C references: what run.ts and proxyProfile.ts both run on.
 */
import path from 'node:path';
import { compileNative } from './nativeBuild';
import type { Programs } from './programs';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Returns the driver's bundle and the programs beside it. `minify: false` keeps names readable in a CPU profile. */
export async function bundlePrograms(outdir: string, driver: { name: string; entry: string }, minify = true): Promise<{ driverJs: string; programs: Programs }> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { [driver.name]: driver.entry, gateway: 'gateway/cli/main.ts', fastServer: 'test/bench/fastServer.ts', nodeRelay: 'test/bench/nodeRelay.ts', fleetServer: 'test/bench/fleetServer.ts', mqttFloor: 'test/bench/mqttFloorPublisher.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify,
    mainFields: ['module', 'main'],
    // Loaded as installed: serialport's native binding, and modbus-serial as its users get it.
    external: ['serialport', '@serialport/*', 'modbus-serial', 'bufferutil', 'utf-8-validate', 'esbuild'],
    logLevel: 'warning',
  });
  return {
    driverJs: path.join(outdir, `${driver.name}.js`),
    programs: {
      gatewayJs: path.join(outdir, 'gateway.js'),
      fastServerJs: path.join(outdir, 'fastServer.js'),
      nodeRelayJs: path.join(outdir, 'nodeRelay.js'),
      fleetServerJs: path.join(outdir, 'fleetServer.js'),
      mqttFloorJs: path.join(outdir, 'mqttFloor.js'),
      native: compileNative(outdir, REPO_ROOT),
    },
  };
}

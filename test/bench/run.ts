/**
 * `npm run bench`: bundle the bench, the gateway CLI and the bench responder with
 * esbuild (as `npm run build` bundles the shipped gateway, minified as in the
 * .vsix), then run the bench on that code and print its markdown on stdout.
 * Progress goes to stderr. Everything it starts is stopped, however it ends.
 *
 *   npm run bench                        every section
 *   npm run bench -- --only proxy,fleet  some of them (latency, scan, proxy, fleet, rtu, mqtt, webview)
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundlePrograms, REPO_ROOT } from './bundlePrograms';
import type { Programs } from './programs';
import { webviewSection } from './webviewSection';

/** The whole bench must end; past this it stops wherever it is (the webview section adds ~20 s). */
const WATCHDOG_MS = 440_000;
const SECTION_NAMES = ['latency', 'scan', 'proxy', 'fleet', 'rtu', 'mqtt', 'webview'];

/** `--only a,b`: the sections to run (all when absent); an unknown name is an error. */
function sectionsWanted(): string[] | undefined {
  const at = process.argv.indexOf('--only');
  if (at < 0) return undefined;
  const names = (process.argv[at + 1] ?? '').split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !SECTION_NAMES.includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes sections from ${SECTION_NAMES.join(', ')}, separated by commas; got "${process.argv[at + 1] ?? ''}"`);
  return names;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(): Promise<void> {
  // Under node_modules/.cache, so the bundles' external requires (modbus-serial, serialport) resolve from here.
  const cache = path.join(REPO_ROOT, 'node_modules/.cache');
  fs.mkdirSync(cache, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(cache, 'bifrost-bench-'));
  const only = sectionsWanted();
  let bench: { runBench(programs: Programs, progress: (message: string) => void, only?: string[]): Promise<string>; stopAllChildren(): void } | undefined;
  const watchdog = setTimeout(() => {
    progress(`gave up after ${WATCHDOG_MS / 1000} s`);
    bench?.stopAllChildren();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  try {
    progress('bundling the bench and the gateway with esbuild');
    const built = await bundlePrograms(outdir, { name: 'bench', entry: 'test/bench/bench.ts' });
    bench = require(built.driverJs) as NonNullable<typeof bench>;
    const markdown = await bench.runBench(built.programs, progress, only?.filter((name) => name !== 'webview'));
    // The webview section drives Chromium with the webview tests' harness, under tsx: not bundled.
    const webview = !only || only.includes('webview') ? await webviewSection(progress) : [];
    process.stdout.write(`${markdown}\n\n${webview.join('\n')}\n\nCommand: \`npm run bench\`.\n`);
  } finally {
    bench?.stopAllChildren();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    // modbus-serial and lingering sockets must not keep the bench alive.
    setTimeout(() => process.exit(), 100).unref();
  });

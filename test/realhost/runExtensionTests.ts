// Runs the extension-host mocha suite (test/exthost) in a real VS Code:
//  - VSCODE_EXECUTABLE set: @vscode/test-electron's runTests with that executable;
//  - otherwise: code-server, whose web workbench (in Chromium) is told through the
//    `payload` query parameter to start the extension host in development/test mode.
// Result comes back through the JSON file written by test/exthost/index.ts.
//
//   npx tsx test/realhost/runExtensionTests.ts [--extension DIR] [--test-src DIR]
//        [--workspace DIR] [--no-build] [--timeout SECONDS] [--grep TEXT]
// --grep runs only the tests whose full title contains TEXT (code-server only).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import {
  REPO_ROOT, createProfile, ensureCodeServer, launchBrowser, makeTempDir, openWorkbench, startCodeServer, workbenchUrl,
} from './codeServer';
import type { SuiteResult } from '../exthost/index';

const { values: opt } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    'test-src': { type: 'string', default: path.join(REPO_ROOT, 'test', 'exthost') },
    workspace: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
    grep: { type: 'string' },
  },
});
const extDir = path.resolve(opt.extension!);
const outDir = path.join(extDir, 'out', 'test', 'exthost');
const testsEntry = path.join(outDir, 'index.js');
const timeoutMs = Number(opt.timeout) * 1000;
const STARTED = Date.now();

/** One CommonJS file per test module (index.js finds *.test.js next to itself), as
 *  scripts/build.mjs does; rebuilt here because `npm run package` (production) skips it. */
async function buildTests(srcDir: string): Promise<void> {
  const entries = fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(srcDir, f));
  fs.rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: entries, outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: 'inline', logLevel: 'warning',
    // Same externals as scripts/build.mjs: native or optional modules are never bundled.
    external: ['vscode', 'mocha', 'serialport', '@serialport/*', 'bufferutil', 'utf-8-validate'],
  });
}

function report(r: SuiteResult): number {
  for (const t of r.tests) {
    const mark = t.state === 'passed' ? 'PASS' : t.state === 'failed' ? 'FAIL' : 'SKIP';
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '       '));
  }
  console.log(`(${((Date.now() - STARTED) / 1000).toFixed(1)} s; result file found via ${r.resultFileVia})`);
  console.log(`${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} skipped` : ''}`);
  return r.failed > 0 || r.passed === 0 ? 1 : 0;
}

function fail(msg: string): number {
  console.error(msg);
  console.log('0 passed, 1 failed');
  return 1;
}

async function waitForFile(files: string[], ms: number, alive: () => boolean): Promise<string | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && alive()) {
    const f = files.find((x) => fs.existsSync(x));
    if (f) return f;
    await new Promise((r) => setTimeout(r, 500));
  }
  return files.find((x) => fs.existsSync(x));
}

function logTails(dir: string, match: RegExp): string {
  const found = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => match.test(f));
  return found
    .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n').slice(-30).join('\n')}`)
    .join('\n');
}

async function viaTestElectron(exe: string, workspace: string, resultFile: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      vscodeExecutablePath: exe, extensionDevelopmentPath: extDir, extensionTestsPath: testsEntry,
      extensionTestsEnv: { BIFROST_TEST_RESULT: resultFile },
      launchArgs: [workspace], // runTests adds --disable-workspace-trust, --skip-welcome etc. itself
    });
  } catch {
    /* non-zero exit: the result file tells which tests failed */
  }
  if (!fs.existsSync(resultFile)) return fail(`no result file ${resultFile}`);
  return report(JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult);
}

async function viaCodeServer(workspace: string, resultFile: string): Promise<number> {
  const bin = await ensureCodeServer();
  const profile = createProfile();
  const fallback = path.join(workspace, '.bifrost-test-result.json'); // if env did not get through
  fs.rmSync(fallback, { force: true });
  const cs = await startCodeServer({ bin, workspace, profile, env: { BIFROST_TEST_RESULT: resultFile, ...(opt.grep ? { BIFROST_TEST_GREP: opt.grep } : {}) } });
  const browser = await launchBrowser();
  try {
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const url = workbenchUrl(cs, workspace, [
      ['extensionDevelopmentPath', remote(extDir)],
      ['extensionTestsPath', remote(testsEntry)],
    ]);
    const page = await openWorkbench(browser, url);
    // The extension host's console (mocha's spec output too) is mirrored into the page console.
    if (process.env.BIFROST_VERBOSE) page.on('console', (m) => console.log(`[workbench] ${m.text()}`));
    const alive = (): boolean => cs.proc.exitCode === null && browser.isConnected();
    const found = await waitForFile([resultFile, fallback], timeoutMs, alive);
    if (!found) {
      return fail(
        `no test result within ${timeoutMs / 1000}s (looked for ${resultFile}).\n` +
          `code-server log:\n${cs.logTail()}\n${logTails(profile.userDataDir, /exthost.*\.log$/)}`,
      );
    }
    return report(JSON.parse(fs.readFileSync(found, 'utf8')) as SuiteResult);
  } finally {
    await browser.close().catch(() => undefined);
    await cs.stop();
  }
}

async function main(): Promise<number> {
  const pkg = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8')) as { main?: string };
  if (pkg.main && !fs.existsSync(path.resolve(extDir, pkg.main))) {
    return fail(`${pkg.main} is missing in ${extDir}: build the extension first (npm run build)`);
  }
  if (!opt['no-build']) await buildTests(path.resolve(opt['test-src']!));
  if (!fs.existsSync(testsEntry)) return fail(`${testsEntry} is missing`);
  const workspace = opt.workspace ? path.resolve(opt.workspace) : makeTempDir('exthost-ws');
  const resultFile = path.join(makeTempDir('exthost-result'), 'result.json');
  const exe = process.env.VSCODE_EXECUTABLE;
  console.log(`extension-host tests in ${exe ? `VS Code (${exe})` : 'code-server'}: ${extDir}`);
  return exe ? viaTestElectron(exe, workspace, resultFile) : viaCodeServer(workspace, resultFile);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(fail(e instanceof Error ? (e.stack ?? e.message) : String(e))),
);

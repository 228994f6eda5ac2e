// End-to-end runner: installs the packaged .vsix into a fresh code-server profile, then runs
// every test/e2e/*.e2e.ts (each exports `test: E2ETest`) against the workbench in Chromium.
//
//   npx tsx test/e2e/runE2E.ts [--vsix PATH] [--grep SUBSTRING] [--timeout SECONDS]
// Default .vsix: the newest bifrost-*.vsix in the repo root (npm run package makes it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  REPO_ROOT, createProfile, ensureCodeServer, installVsix, launchBrowser, makeTempDir, openWorkbench, startCodeServer,
  workbenchUrl, type CodeServer,
} from '../realhost/codeServer';

export interface E2EContext {
  /** A new empty folder to open as the workspace. */
  newWorkspace(): string;
  /** Opens the workbench on `folder` in a fresh browser context; resolves once it rendered. */
  open(folder: string): Promise<Page>;
  /** Where screenshots go (test-results/ in the repo). */
  resultsDir: string;
}

export interface E2ETest {
  name: string;
  run(ctx: E2EContext): Promise<void>;
}

const { values: opt } = parseArgs({
  options: { vsix: { type: 'string' }, grep: { type: 'string' }, timeout: { type: 'string', default: '180' } },
});

function findVsix(): string {
  if (opt.vsix) return path.resolve(opt.vsix);
  const found = fs
    .readdirSync(REPO_ROOT)
    .filter((f) => /^bifrost-.*\.vsix$/.test(f))
    .map((f) => path.join(REPO_ROOT, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!found[0]) throw new Error(`no bifrost-*.vsix in ${REPO_ROOT}: run npm run package first`);
  return found[0];
}

async function loadTests(): Promise<E2ETest[]> {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.e2e.ts')).sort();
  const tests: E2ETest[] = [];
  for (const f of files) {
    const mod = (await import(path.join(__dirname, f))) as { test?: E2ETest };
    if (!mod.test) throw new Error(`${f} does not export test`);
    if (!opt.grep || mod.test.name.includes(opt.grep)) tests.push(mod.test);
  }
  return tests;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out after ${ms / 1000}s`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

async function runOne(test: E2ETest, cs: CodeServer, browser: Browser, resultsDir: string): Promise<boolean> {
  const pages: Page[] = [];
  const settingsFile = path.join(cs.profile.userDataDir, 'User', 'settings.json');
  const baseSettings = fs.readFileSync(settingsFile, 'utf8');
  const ctx: E2EContext = {
    newWorkspace: () => makeTempDir('e2e-ws'),
    open: async (folder) => {
      const page = await openWorkbench(browser, workbenchUrl(cs, folder));
      pages.push(page);
      return page;
    },
    resultsDir,
  };
  const started = Date.now();
  try {
    await withTimeout(test.run(ctx), Number(opt.timeout) * 1000);
    console.log(`  PASS ${test.name} (${Date.now() - started} ms)`);
    return true;
  } catch (e) {
    console.log(`  FAIL ${test.name} (${Date.now() - started} ms)`);
    console.log(String(e instanceof Error ? e.stack : e).replace(/^/gm, '       '));
    const last = pages[pages.length - 1];
    const shot = path.join(resultsDir, `e2e-${test.name.replace(/\W+/g, '-')}-failure.png`);
    if (last) await last.screenshot({ path: shot }).then(() => console.log(`       screenshot: ${shot}`), () => undefined);
    console.log(`       code-server log (tail):\n${cs.logTail(20).replace(/^/gm, '         ')}`);
    return false;
  } finally {
    for (const p of pages) await p.context().close().catch(() => undefined);
    fs.writeFileSync(settingsFile, baseSettings); // a theme picked in one test does not leak into the next
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const resultsDir = path.join(REPO_ROOT, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const vsix = findVsix();
  const tests = await loadTests();
  const bin = await ensureCodeServer();
  const profile = createProfile();
  await installVsix(bin, profile, vsix);
  console.log(`e2e: ${tests.length} test(s) against ${path.basename(vsix)} in code-server`);
  // The server's own folder is a placeholder: each test opens its own via ?folder=.
  const cs = await startCodeServer({ bin, workspace: makeTempDir('e2e-ws'), profile });
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    for (const t of tests) (await runOne(t, cs, browser, resultsDir)) ? passed++ : failed++;
  } finally {
    await browser.close().catch(() => undefined);
    await cs.stop();
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

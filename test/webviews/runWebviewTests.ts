// The webviews' tests: pure modules in Node, then the Tag Watch and Frame Debugger pages
// in Debian's Chromium with a fake VS Code API (see harness.ts), each asserting what it
// shows; screenshots of both themes go to test-results/. Frame times under load are
// measured by `npm run bench` (test/bench/webviewSection.ts), not here.
//
//   npx tsx test/webviews/runWebviewTests.ts [--no-build] [--filter TEXT]
//
// Needs dist/webviews (built first unless --no-build). Prints "N passed, N failed".
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launch, REPO_ROOT } from './harness';
import { frameDebuggerTests } from './frameDebugger.browser';
import { registersTests } from './registers.browser';
import { browserTests } from './tagWatch.browser';
import { trendTests } from './trend.browser';
import { pureTests } from './pure';

const { values: opt } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false }, filter: { type: 'string' } } });


async function main(): Promise<number> {
  if (!opt['no-build']) execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'webviews', 'tagWatch.js'))) {
    console.log('dist/webviews/tagWatch.js is missing: run npm run build');
    console.log('0 passed, 1 failed');
    return 1;
  }
  fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
  const cases = [...pureTests, ...browserTests, ...trendTests, ...frameDebuggerTests, ...registersTests].filter((t) => !opt.filter || t.name.includes(opt.filter));
  let passed = 0;
  let failed = 0;
  let browser: Browser | undefined;
  try {
    browser = await launch();
    for (const test of cases) {
      const started = Date.now();
      try {
        await test.run(browser);
        passed++;
        console.log(`  PASS ${test.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(`  FAIL ${test.name}`);
        console.log(String(error instanceof Error ? error.stack : error).replace(/^/gm, '       '));
      }
    }
  } finally {
    await browser?.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
void assert;

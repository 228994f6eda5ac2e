// Mocha bootstrap for the extension-host suite. VS Code loads this module (as
// extensionTestsPath, compiled to out/test/exthost/index.js next to the compiled
// *.test.js files) and calls run(). The same module serves @vscode/test-electron on a desktop
// and code-server here (test/realhost/runExtensionTests.ts).
//
// The result goes to a JSON file because under code-server nothing reaches the runner
// otherwise (the browser shows nothing, the exit code stays inside the server):
//   1. $BIFROST_TEST_RESULT if set (the extension host inherits code-server's env), else
//   2. <first workspace folder>/.bifrost-test-result.json, else
//   3. <os tmpdir>/bifrost-test-result.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

type MochaCtor = typeof import('mocha');

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestRecord[];
  resultFileVia: 'env' | 'workspace' | 'tmpdir';
}

function resultFile(): { file: string; via: SuiteResult['resultFileVia'] } {
  if (process.env.BIFROST_TEST_RESULT) return { file: process.env.BIFROST_TEST_RESULT, via: 'env' };
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (ws?.uri.scheme === 'file') return { file: path.join(ws.uri.fsPath, '.bifrost-test-result.json'), via: 'workspace' };
  return { file: path.join(os.tmpdir(), 'bifrost-test-result.json'), via: 'tmpdir' };
}

async function loadMocha(): Promise<MochaCtor> {
  // mocha 12 is an ES module; Node >= 20.19 can require() it, older hosts need import().
  let m: unknown;
  try {
    m = require('mocha');
  } catch {
    m = await import('mocha');
  }
  const mod = m as { default?: MochaCtor; Mocha?: MochaCtor };
  return mod.default ?? mod.Mocha ?? (m as MochaCtor);
}

function write(file: string, r: SuiteResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file + '.tmp', JSON.stringify(r, null, 2));
  fs.renameSync(file + '.tmp', file); // atomic: the runner polls for this file
}

export async function run(): Promise<void> {
  const { file, via } = resultFile();
  const started = Date.now();
  const result: SuiteResult = { passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [], resultFileVia: via };
  try {
    const Mocha = await loadMocha();
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: Number(process.env.BIFROST_TEST_TIMEOUT ?? 60_000) });
    // runExtensionTests.ts --grep: only the tests whose full title contains the text.
    if (process.env.BIFROST_TEST_GREP) mocha.grep(process.env.BIFROST_TEST_GREP);
    const files = fs
      .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.js'))
      .sort();
    for (const f of files) mocha.addFile(path.join(__dirname, f));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => result.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('fail', (t, err: Error) =>
        result.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }),
      );
      runner.on('pending', (t) => result.tests.push({ title: t.fullTitle(), state: 'pending' }));
    });
    if (files.length === 0) {
      result.tests.push({ title: `no *.test.js files in ${__dirname}`, state: 'failed' });
    }
  } catch (e) {
    result.tests.push({ title: 'bootstrap', state: 'failed', error: e instanceof Error ? e.stack : String(e) });
  }
  for (const t of result.tests) result[t.state]++;
  result.durationMs = Date.now() - started;
  write(file, result);
  // test-electron takes the outcome from a rejected run() (non-zero exit code).
  if (result.failed > 0) throw new Error(`${result.failed} extension-host test(s) failed`);
}

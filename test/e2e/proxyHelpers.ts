// Helpers for the proxy E2E (test/e2e/proxy.e2e.ts): the workspace's bifrost.json with
// the demo device and one proxy, the Bifrost sidebar's Proxies view, the command
// palette, mbpoll (one-shot and continuous) and a port probe.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { demoDevice } from '../../gateway/api';

/** Writes bifrost.json: the demo device and one proxy in front of it (not auto-started). */
export function writeProxyWorkspace(folder: string, proxy: string, port: number): void {
  const config = {
    version: 1,
    devices: [demoDevice()],
    proxies: [{ name: proxy, listen: { host: '127.0.0.1', port }, device: 'Demo', allowedFunctions: 'read-only' }],
  };
  fs.writeFileSync(path.join(folder, 'bifrost.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Opens the Bifrost container and answers its Proxies view's tree once the proxy row shows. */
export async function openProxiesView(page: Page, proxy: string): Promise<Locator> {
  const bar = page.locator('.part.activitybar');
  await bar.getByRole('tab', { name: /^Bifrost\b/ }).or(bar.locator('[aria-label^="Bifrost"]')).first().click();
  await page.getByRole('tree', { name: 'Devices' }).getByRole('treeitem').filter({ hasText: 'Demo' }).first().waitFor({ timeout: 60_000 });
  const tree = page.getByRole('tree', { name: 'Proxies' });
  await proxyRow(tree, proxy).waitFor({ timeout: 30_000 });
  return tree;
}

export function proxyRow(tree: Locator, proxy: string): Locator {
  return tree.getByRole('treeitem').filter({ has: tree.page().locator('.label-name', { hasText: proxy }) }).first();
}

/** The row's description (TreeItem.description), or its aria-label when none renders. */
export async function rowDescription(row: Locator): Promise<string> {
  const desc = row.locator('.label-description');
  if (await desc.count()) return ((await desc.first().textContent()) ?? '').trim();
  return (await row.getAttribute('aria-label')) ?? '';
}

/** F1, the command's title, Enter on the exact entry; then, when given, the quick pick's row. */
export async function runPaletteCommand(page: Page, title: string, pick?: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 880 } }).catch(() => undefined);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  const entry = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await entry.waitFor({ timeout: 10_000 });
  await entry.click();
  if (pick === undefined) return;
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: pick }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

export interface MbpollResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Register number (1-based, as mbpoll prints it) → value. */
  values: Map<number, number>;
}

/** `mbpoll -m tcp -p PORT -r 1 -c 10 -1 127.0.0.1`: one read of holding registers 1–10. */
export function mbpollOnce(port: number): Promise<MbpollResult> {
  return new Promise((resolve) => {
    execFile('mbpoll', ['-m', 'tcp', '-p', String(port), '-r', '1', '-c', '10', '-1', '127.0.0.1'], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      const values = new Map<number, number>();
      for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)) values.set(Number(match[1]), Number(match[2]));
      resolve({ code, stdout, stderr, values });
    });
  });
}

/** mbpoll polling every 250 ms until stopped: a client that stays connected. */
export function mbpollContinuous(port: number): ChildProcess {
  return spawn('mbpoll', ['-m', 'tcp', '-p', String(port), '-r', '1', '-c', '10', '-l', '250', '127.0.0.1'], { stdio: 'ignore' });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** "connected", or the error code of a refused or failed connect (ECONNREFUSED). */
export function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Expands collapsed rows of the tree until `target` shows up. */
export async function revealRow(tree: Locator, target: Locator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await target.count()) return;
    const collapsed = tree.locator('[role=treeitem][aria-expanded=false]');
    if (await collapsed.count()) await collapsed.first().click();
    await tree.page().waitForTimeout(300);
  }
  throw new Error('tree row not found; rows seen: ' + JSON.stringify(await tree.locator('[role=treeitem]').allInnerTexts()));
}

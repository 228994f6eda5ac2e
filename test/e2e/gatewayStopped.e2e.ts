// The editor's own gateway crashes until the extension gives up on it, as a user meets it:
// the "failed 5 times in 3 minutes and was stopped" notification with the last crash and
// Restart; the Devices and Proxies views say the gateway is not running, with Restart
// Gateway and Show Log; the palette no longer offers commands that need it; Restart Gateway
// from the view brings Demo back. Screenshots of the stopped side bar in both themes.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { E2ETest } from './runE2E';
import { openBifrostSidebar, useTheme, waitUntil } from './workbench';
import { demoDevice } from '../../gateway/api/demo';

interface ProcessEntry {
  pid: number;
  ppid: number;
  startTicks: number;
  cmdline: string[];
}

function readProcess(pid: number): ProcessEntry | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, ppid: Number(fields[1]), startTicks: Number(fields[19]), cmdline };
  } catch {
    return undefined; // gone meanwhile
  }
}

/**
 * The newest gateway this runner started (through code-server and a window's extension
 * host): other runs on the machine have gateways too, and an earlier test's window may
 * still have its own.
 */
function newestOwnGateway(): ProcessEntry | undefined {
  const all = new Map<number, ProcessEntry>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcess(Number(name));
    if (entry) all.set(entry.pid, entry);
  }
  const descendsFromUs = (entry: ProcessEntry): boolean => {
    for (let at: ProcessEntry | undefined = entry; at; at = all.get(at.ppid)) if (at.ppid === process.pid) return true;
    return false;
  };
  return [...all.values()]
    .filter((p) => p.cmdline.some((arg) => /[\\/]dist[\\/]gateway\.js$/.test(arg)) && p.cmdline.includes('serve') && descendsFromUs(p))
    .sort((a, b) => b.startTicks - a.startTicks)[0];
}

function toast(page: Page, text: RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

export const test: E2ETest = {
  name: 'gateway: crashed until stopped, the views say so and Restart Gateway brings Demo back',
  async run(ctx) {
    const ws = ctx.newWorkspace();
    fs.writeFileSync(path.join(ws, 'bifrost.json'), JSON.stringify({ version: 1, devices: [demoDevice()] }, null, 2));
    const page = await ctx.open(ws);
    const tree = await openBifrostSidebar(page);
    const demoRow = tree.getByRole('treeitem').filter({ has: page.locator('.label-name', { hasText: /^\s*Demo\s*$/ }) }).first();
    // The row's accessible name carries its state: "Demo, Connected, demo://… #1".
    const demoState = async () => (await demoRow.getAttribute('aria-label')) ?? '';
    await waitUntil(demoState, (label) => /^Demo, Connected\b/.test(label), 'Demo never connected', 60_000);

    // Five crashes within three minutes and the extension stops restarting it.
    let last: number | undefined;
    for (let crash = 1; crash <= 5; crash++) {
      const gateway = await waitUntil(async () => newestOwnGateway(), (g) => g !== undefined && g.pid !== last, `gateway process ${crash}`, 30_000);
      process.kill(gateway!.pid, 'SIGKILL');
      last = gateway!.pid;
    }
    const stopped = toast(page, /failed 5 times in 3 minutes and was stopped/);
    await stopped.waitFor({ timeout: 30_000 });
    assert.match((await stopped.locator('.notification-list-item-message').textContent()) ?? '', /was stopped\. Last: .+\.$/, 'the notification says the last crash');
    const offered = (await stopped.locator('.notification-list-item-buttons-container .monaco-button').allTextContents()).map((b) => b.trim());
    assert.deepEqual(offered, ['Show Log', 'Restart']);

    const sidebar = page.locator('.part.sidebar');
    const devicesWelcome = sidebar.locator('.welcome-view-content').filter({ hasText: 'The Bifrost gateway is not running.' });
    await devicesWelcome.waitFor({ timeout: 10_000 });
    const welcomeButtons = (await devicesWelcome.locator('.monaco-button').allTextContents()).map((b) => b.trim());
    assert.deepEqual(welcomeButtons, ['Restart Gateway', 'Show Log']);
    await sidebar.locator('.welcome-view-content').filter({ hasText: 'Proxies run in the Bifrost gateway, which is not running.' }).waitFor({ timeout: 10_000 });

    // Commands that need the gateway leave the palette rather than fail when picked.
    await page.locator('.part.sidebar .title-label').first().click();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.fill('>Bifrost: ');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 10_000 });
    const offeredCommands = (await rows.allTextContents()).join(' | ');
    assert.match(offeredCommands, /Bifrost: Restart Gateway/, `the palette offers: ${offeredCommands}`);
    assert.doesNotMatch(offeredCommands, /Start Proxy|Watch Tags|Open Frame Debugger/, `the palette offers: ${offeredCommands}`);
    await page.keyboard.press('Escape');

    await stopped.locator('.codicon-notifications-clear').click().catch(() => undefined);
    for (const theme of ['dark', 'light'] as const) {
      await useTheme(page, theme, { webview: false });
      await sidebar.screenshot({ path: path.join(ctx.resultsDir, `gateway-stopped-sidebar-${theme}.png`) });
    }

    const before = newestOwnGateway()?.pid;
    await devicesWelcome.getByRole('button', { name: 'Restart Gateway' }).click();
    await waitUntil(async () => newestOwnGateway()?.pid, (pid) => pid !== undefined && pid !== before, 'a restarted gateway', 30_000);
    await waitUntil(demoState, (label) => /^Demo, Connected\b/.test(label), 'Demo connected again', 30_000);
  },
};

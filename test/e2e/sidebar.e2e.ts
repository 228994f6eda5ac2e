// In a fresh workspace (no bifrost.json) the Bifrost sidebar shows the built-in "Demo"
// device, and its "counter" tag's value (the tree row's description) keeps changing.
// Hovering Demo while its values move shows its tooltip, and it stays: the tree repaints
// only the rows whose values changed, never the device row under the mouse.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { E2ETest } from './runE2E';
import { useTheme, waitUntil } from './workbench';

/** Expands collapsed rows of the tree until `target` shows up (the nesting depth may change). */
async function revealRow(page: Page, tree: Locator, target: Locator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await target.count()) return;
    const collapsed = tree.locator('[role=treeitem][aria-expanded=false]');
    if (await collapsed.count()) await collapsed.first().click();
    await page.waitForTimeout(300);
  }
  throw new Error('tree row not found; rows seen: ' + JSON.stringify(await tree.locator('[role=treeitem]').allInnerTexts()));
}

/** The value shown beside the label (TreeItem.description); falls back to the row's aria-label. */
async function description(row: Locator): Promise<string> {
  const desc = row.locator('.label-description');
  if (await desc.count()) return ((await desc.first().textContent()) ?? '').trim();
  return (await row.getAttribute('aria-label')) ?? '';
}

export const test: E2ETest = {
  name: 'sidebar shows Demo device with a live counter tag',
  async run(ctx) {
    const ws = ctx.newWorkspace();
    assert.ok(!fs.existsSync(path.join(ws, 'bifrost.json')), 'workspace must start without bifrost.json');
    const page = await ctx.open(ws);

    // The activity-bar entry: the <li role=tab> or, in VS Code 1.100, its inner <a aria-label>.
    const bar = page.locator('.part.activitybar');
    await bar.getByRole('tab', { name: /^Bifrost\b/ }).or(bar.locator('[aria-label^="Bifrost"]')).first().click();

    const tree = page.getByRole('tree', { name: 'Devices' });
    const demo = tree.getByRole('treeitem').filter({ hasText: 'Demo' });
    await demo.first().waitFor({ timeout: 60_000 });

    const counter = tree
      .getByRole('treeitem')
      .filter({ has: page.locator('.label-name', { hasText: /^\s*counter\b/ }) })
      .first();
    await revealRow(page, tree, counter, 30_000);

    const first = await description(counter);
    await page.waitForTimeout(2000);
    const second = await description(counter);
    assert.notStrictEqual(first, '', 'counter row shows no value');
    assert.notStrictEqual(second, first, `counter value did not change in 2 s (stayed "${first}")`);

    // Hover Demo while its values move: the tooltip appears and is still there 2 s and
    // several value changes later.
    const demoLabel = demo.first().locator('.label-name');
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Poll rate' });
    await demoLabel.hover();
    await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await hover.first().innerText()) ?? '', /Demo — Connected/);
    const shownAt = Date.now();
    let seen = await description(counter);
    let changes = 0;
    await waitUntil(
      async () => {
        const now = await description(counter);
        if (now !== seen) changes++;
        seen = now;
        return { changes, held: Date.now() - shownAt };
      },
      (v) => v.changes >= 2 && v.held >= 2000,
      'two counter changes and 2 s under the hover',
    );
    assert.ok(await hover.first().isVisible(), `the Demo tooltip vanished while the counter changed ${changes} times`);
    for (const theme of ['dark', 'light'] as const) {
      // The tooltip must not cover the theme picker.
      await page.mouse.move(700, 450);
      await hover.first().waitFor({ state: 'hidden', timeout: 10_000 });
      await useTheme(page, theme, { webview: false });
      await demoLabel.hover();
      await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.screenshot({ path: path.join(ctx.resultsDir, `e2e-sidebar-hover-${theme}.png`) });
    }

    await page.mouse.move(700, 450); // no hover tooltip in the screenshot
    await hover.first().waitFor({ state: 'hidden', timeout: 10_000 });
    await page.screenshot({ path: path.join(ctx.resultsDir, 'e2e-sidebar.png') });
  },
};

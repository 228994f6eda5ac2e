// The Registers view when things are wrong, as a user meets them: an endpoint typed
// wrongly is refused in the palette with what was expected; an endpoint where nothing
// answers opens a panel that says it cannot reach it (and no values); a start address
// typed wrongly is named in the status line, and nothing is read.
import * as assert from 'node:assert';
import * as path from 'node:path';
import type { E2ETest } from './runE2E';
import { activeWebview, openBifrostSidebar, runCommand, waitUntil } from './workbench';
import { freePort } from '../exthost/helpers';

export const test: E2ETest = {
  name: 'registers: a wrong endpoint, an unreachable one, a wrong start address',
  async run(ctx) {
    const page = await ctx.open(ctx.newWorkspace());
    await openBifrostSidebar(page);
    const quickInput = page.locator('.quick-input-widget input.input');

    await runCommand(page, 'Bifrost: Open Registers…');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Endpoint…' }).first().click();
    await quickInput.fill('tcp://127.0.0.1:99999');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await waitUntil(() => message.textContent(), (t) => /port 99999 is not 1–65535/.test(t ?? ''), 'no complaint about the port');
    // Bound and released a moment ago: nothing listens there now.
    const port = await freePort();
    await quickInput.fill(`tcp://127.0.0.1:${port}`);
    await page.keyboard.press('Enter');

    const wv = activeWebview(page);
    const notice = wv.locator('.notice');
    await waitUntil(() => notice.textContent(), (t) => new RegExp(`Not updating: .*cannot reach tcp://127\\.0\\.0\\.1:${port} #1`).test(t ?? ''), 'no notice about the unreachable endpoint', 30_000);
    assert.strictEqual(await wv.locator('.register-grid .row.error').count(), 0, 'no row claims a device exception');

    const start = wv.locator('vscode-text-field.start-field input');
    await start.fill('HR:1x');
    await start.press('Enter');
    await waitUntil(() => wv.locator('.status').textContent(), (t) => /cannot read address "HR:1x"/.test(t ?? ''), 'the wrong start is not named');
    await page.locator('.part.editor').screenshot({ path: path.join(ctx.resultsDir, 'e2e-registers-unreachable.png') });
  },
};

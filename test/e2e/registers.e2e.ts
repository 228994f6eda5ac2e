// The Registers view as a commissioning engineer meets it: no bifrost.json, a pymodbus
// device whose registers this test lays out, its address typed in the palette. Read 200
// holding registers (HR:180–199 do not exist: those rows, and only those, show the
// exception); show HR:20–21 as float32 CDAB and see 230.1; write HR:5 through the frame
// preview and confirmation and read it back from pymodbus itself; add HR:20 and HR:5 as
// tags and find them in bifrost.json and the Devices tree; then the value finder locates
// 230.1 on the new device. Screenshots in a light and a dark theme.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { E2ETest } from './runE2E';
import { activeWebview, openBifrostSidebar, runCommand, useTheme, waitUntil } from './workbench';
import { registersAt, startRegisterServer } from '../integration/helpers/registerServer';
import { stopAll } from '../integration/helpers/childProcess';
import { requirePymodbus } from '../integration/helpers/tools';
import { RawModbusClient } from '../exthost/helpers';

const HR = { ...registersAt(0, Array.from({ length: 180 }, (_, i) => 1000 + i)) };
HR[20] = 0x199a; // float32 230.1, words swapped (CDAB)
HR[21] = 0x4366;

export const test: E2ETest = {
  name: 'registers: endpoint typed in the palette, formats, write, rows as tags, value finder',
  async run(ctx) {
    requirePymodbus();
    const server = await startRegisterServer({ hr: HR });
    try {
      const folder = ctx.newWorkspace();
      const page = await ctx.open(folder);
      const tree = await openBifrostSidebar(page);
      const quickInput = page.locator('.quick-input-widget input.input');
      const pickRow = (text: string) => page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first();

      await runCommand(page, 'Bifrost: Open Registers…');
      await pickRow('Endpoint…').click();
      await quickInput.fill(`tcp://127.0.0.1:${server.port} #1`);
      await page.keyboard.press('Enter');

      const wv = activeWebview(page);
      const row = (address: string) => wv.locator(`.register-grid .viewport .row:not([hidden]):has(.cell.address:text-is("${address}"))`);
      await row('HR:0').locator('.cell.value').waitFor({ timeout: 30_000 });
      await waitUntil(() => row('HR:0').locator('.cell.value').textContent(), (t) => t === '1000', 'HR:0 does not read 1000');

      // 200 rows: the count field, Enter.
      const count = wv.locator('vscode-text-field.count-field input');
      await count.fill('200');
      await count.press('Enter');
      const status = wv.locator('.status');
      await waitUntil(() => status.textContent(), (t) => /^200 rows/.test(t ?? ''), 'the status does not count 200 rows');
      assert.match((await status.textContent()) ?? '', /20 refused by the device/);
      // Scroll to the end: the refused rows show the exception, the ones before still read.
      await wv.locator('.register-grid').focus();
      await page.keyboard.press('End');
      await waitUntil(() => row('HR:199').locator('.cell.value').textContent(), (t) => /illegal data address/.test(t ?? ''), 'HR:199 shows no exception');
      assert.strictEqual(await row('HR:179').locator('.cell.value').textContent(), '1179');
      assert.match((await row('HR:180').locator('.cell.value').textContent()) ?? '', /exception 02/);
      await page.keyboard.press('Home');

      // HR:20 as float32 CDAB.
      await row('HR:20').locator('.cell.address').click();
      await wv.locator('vscode-dropdown[aria-label="Format of the selected rows"]').click();
      await wv.locator('vscode-option', { hasText: 'float32 (2 rows)' }).click();
      await wv.locator('vscode-dropdown[aria-label="Word order of the selected rows"]').click();
      await wv.locator('vscode-option', { hasText: 'CDAB' }).click();
      await waitUntil(() => row('HR:20').locator('.cell.value').textContent(), (t) => t === '230.1', 'HR:20 as float32 CDAB is not 230.1');
      assert.strictEqual(await row('HR:21').locator('.cell.value').textContent(), '↳');

      // Write HR:5: double-click, type, preview the frame, confirm, read back.
      await row('HR:5').locator('.cell.value').dblclick();
      const pane = wv.locator('.write-pane');
      assert.match((await pane.locator('h2').textContent()) ?? '', /Write HR:5 \(unsigned\)/);
      await pane.locator('vscode-text-field input').fill('4321');
      await pane.locator('vscode-button', { hasText: 'Preview frame' }).click();
      const preview = await waitUntil(() => pane.locator('.frame-preview').textContent(), (t) => (t ?? '').length > 0, 'no frame preview');
      assert.match(preview ?? '', /^06 00 05 10 E1$/);
      await pane.locator('vscode-button', { hasText: 'Confirm write' }).click();
      await waitUntil(() => pane.getAttribute('data-step'), (s) => s === 'done' || s === 'error', 'the write did not finish');
      assert.match((await pane.locator('.pane-message').textContent()) ?? '', /read back 4321/);
      const device = await RawModbusClient.connect(server.port);
      assert.deepStrictEqual(await device.readHolding(5, 1), [4321], 'pymodbus does not hold the written value');
      device.close();
      await waitUntil(() => row('HR:5').locator('.cell.value').textContent(), (t) => t === '4321', 'the table does not show 4321');

      for (const theme of ['light', 'dark'] as const) {
        await useTheme(page, theme);
        await page.locator('.part.editor').screenshot({ path: path.join(ctx.resultsDir, `e2e-registers-${theme}.png`) });
      }

      // Rows → tags: HR:5 and HR:20 (Ctrl+click), Add as tags…, a device for the endpoint, two names.
      await row('HR:5').locator('.cell.address').click();
      await row('HR:20').locator('.cell.address').click({ modifiers: ['Control'] });
      await wv.locator('vscode-button', { hasText: 'Add as tags…' }).click();
      await quickInput.waitFor();
      await quickInput.fill('bench meter');
      await page.keyboard.press('Enter');
      await waitUntil(() => quickInput.inputValue(), (v) => v === 'HR5', 'no name offered for HR:5');
      await quickInput.fill('setpoint');
      await page.keyboard.press('Enter');
      await waitUntil(() => quickInput.inputValue(), (v) => v === 'HR20 float32', 'no name offered for HR:20');
      await quickInput.fill('voltage');
      await page.keyboard.press('Enter');
      const file = path.join(folder, 'bifrost.json');
      const config = await waitUntil(
        async () => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { devices: { name: string; tags: unknown[] }[] }) : undefined),
        (c) => c !== undefined && c.devices.length === 1,
        'bifrost.json does not hold the new device',
      );
      assert.deepStrictEqual(config!.devices[0].tags, [
        { name: 'setpoint', address: 'HR:5', type: 'uint16' },
        { name: 'voltage', address: 'HR:20', type: 'float32', order: 'CDAB' },
      ]);
      await tree.getByRole('treeitem').filter({ hasText: 'voltage' }).first().waitFor({ timeout: 30_000 });
      await tree.getByRole('treeitem').filter({ hasText: 'setpoint' }).first().waitFor({ timeout: 30_000 });

      // The value finder on the new device: 230.1 ±0.5 among HR:0–179, in both themes.
      for (const theme of ['light', 'dark'] as const) {
        await useTheme(page, theme);
        await runCommand(page, 'Bifrost: Find a Value…');
        await page.locator('.quick-input-widget input[placeholder="Device to search"]').waitFor({ timeout: 10_000 });
        await pickRow('bench meter').click();
        await waitUntil(() => page.locator('.quick-input-widget .quick-input-title').textContent(), (t) => /what it reads now/.test(t ?? ''), 'no value asked');
        await quickInput.fill('230.1 ±0.5');
        await page.keyboard.press('Enter');
        await waitUntil(() => quickInput.inputValue(), (v) => v.startsWith('HR:'), 'no range asked');
        await quickInput.fill('HR:0-HR:179');
        await page.keyboard.press('Enter');
        await pickRow('HR:20 float32 CDAB').waitFor({ timeout: 30_000 });
        await page.screenshot({ path: path.join(ctx.resultsDir, `e2e-finder-${theme}.png`) });
        await page.keyboard.press('Escape');
      }
    } finally {
      await stopAll();
    }
  },
};

// Frame Debugger on the Demo device's traffic, opened from the command palette: frames
// arrive, filtering to function code 3 leaves only FC 3 rows, Export pcap… saves through
// VS Code's own save dialog, and tshark reads the file as Modbus/TCP with the same
// function codes; screenshots of the panel in a light and a dark theme.
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { E2ETest } from './runE2E';
import { activeWebview, openBifrostSidebar, runCommand, useTheme, waitUntil } from './workbench';

/** tshark's `modbus.func_code` per Modbus packet of `file`. */
function tsharkFunctionCodes(file: string): number[] {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'modbus', '-T', 'fields', '-e', 'mbtcp.trans_id', '-e', 'modbus.func_code'], {
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [transaction, code] = line.split('\t');
      assert.match(transaction, /^\d+$/, `tshark saw no Modbus/TCP transaction id in "${line}"`);
      return Number(code);
    });
}

export const test: E2ETest = {
  name: 'frame debugger: live frames, function filter, pcap export checked by tshark',
  async run(ctx) {
    execFileSync('which', ['tshark']); // fails loudly when tshark is missing
    const ws = ctx.newWorkspace();
    const page = await ctx.open(ws);
    await openBifrostSidebar(page);
    await runCommand(page, 'Bifrost: Open Frame Debugger');

    const wv = activeWebview(page);
    const rows = wv.locator('.list .viewport .row:not([hidden])');
    const functions = () => rows.locator('.col-5').allTextContents(); // the Function column (after Exchange)
    // The demo polls holding and input registers, coils and discrete inputs: FC 1–4 show up.
    const seen = await waitUntil(functions, (codes) => ['1', '3', '4'].every((c) => codes.includes(c)), 'frames of FC 1, 3 and 4 did not arrive', 30_000);
    assert.ok(seen.length > 3);

    // Filter to function code 3 through the toolbar's dropdown.
    const dropdown = wv.locator('vscode-dropdown.filter-function');
    await dropdown.click();
    await dropdown.getByRole('option', { name: 'FC 3', exact: true }).click();
    const filtered = await waitUntil(functions, (codes) => codes.length > 0 && codes.every((c) => c === '3'), 'the list still shows other function codes');
    assert.ok(filtered.length > 0);
    assert.match((await wv.locator('.status').textContent()) ?? '', /^\d+ of \d+ frames/);

    // Select a request: its decoded fields appear beside the hex dump.
    await rows.filter({ hasText: '→ req' }).first().click();
    await wv.locator('.detail').getByText(/Read Holding Registers/i).first().waitFor({ timeout: 10_000 });

    // Export pcap…: code-server shows VS Code's simple save dialog, prefilled with a path in the workspace.
    await wv.locator('vscode-button.export').click();
    const dialog = page.locator('.quick-input-widget');
    const pathInput = dialog.locator('input.input');
    await pathInput.waitFor({ timeout: 15_000 });
    const suggested = await waitUntil(() => pathInput.inputValue(), (v) => v.endsWith('.pcap'), 'the save dialog offers no .pcap path');
    assert.ok(suggested.includes(path.basename(ws)), `save dialog path ${suggested} is not in the workspace`);
    await pathInput.press('Enter');
    const status = await waitUntil(() => wv.locator('.status .message').textContent(), (t) => /Exported \d+ frames to /.test(t ?? ''), 'no export message');
    const [, count, file] = /Exported (\d+) frames to (.+\.pcap)\.$/.exec(status ?? '') ?? [];
    assert.ok(file && fs.existsSync(file), `the exported file ${file} does not exist`);
    assert.ok(fs.statSync(file).size > 24, 'the pcap holds no packets');

    const codes = tsharkFunctionCodes(file);
    assert.strictEqual(codes.length, Number(count), `tshark decoded ${codes.length} Modbus/TCP frames, the panel exported ${count}`);
    assert.ok(codes.includes(3), `no FC 3 in the pcap: ${[...new Set(codes)].join(', ')}`);
    for (const code of codes) assert.ok([1, 2, 3, 4, 5, 6, 15, 16].includes(code & 0x7f), `unexpected function code ${code}`);

    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await page.locator('.part.editor').screenshot({ path: path.join(ctx.resultsDir, `e2e-frameDebugger-${theme}.png`) });
    }
  },
};

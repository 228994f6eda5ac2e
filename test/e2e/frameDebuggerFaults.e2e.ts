// The Frame Debugger against two faulty devices (Bifrost's own simulator with --fault,
// run as a separate process on 127.0.0.1): one answers every second request under a
// wrong transaction id, one answers later than the device's timeout. Under "Errors
// only" the wrong-id reply and the late reply say why they were refused, the wrong-id reply
// pairs with the request it failed, and an unanswered request says "no reply" and pairs
// with its marker. Both themes.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { E2ETest } from './runE2E';
import { activeWebview, runCommand, useTheme, waitUntil } from './workbench';
import { start, stopAll, type Simulator } from '../integration/helpers/childProcess';
import { GATEWAY_JS } from '../integration/helpers/tools';

async function faultySimulator(...fault: string[]): Promise<Simulator> {
  const child = start(process.execPath, [GATEWAY_JS, 'simulate', '--listen', '127.0.0.1:0', ...fault]);
  const match = await child.waitForStdout(/listening on 127\.0\.0\.1:(\d+)/);
  return Object.assign(child, { port: Number(match[1]) });
}

const device = (name: string, port: number) => ({
  name,
  transport: { kind: 'tcp', host: '127.0.0.1', port },
  timeoutMs: 400,
  retries: 0,
  pollMs: 1000,
  tags: [{ name: 'counter', address: 'HR:0', type: 'uint16' }],
});

export const test: E2ETest = {
  name: 'frame debugger: wrong transaction ids and late replies from a faulty simulator',
  async run(ctx) {
    try {
      const wrongId = await faultySimulator('--fault', 'wrongTransactionId', '--fault-every', '2');
      const late = await faultySimulator('--fault', 'delay:900');
      const ws = ctx.newWorkspace();
      fs.writeFileSync(path.join(ws, 'bifrost.json'), JSON.stringify({ version: 1, devices: [device('Wrong id', wrongId.port), device('Late', late.port)] }, null, 2));
      const page = await ctx.open(ws);
      const bar = page.locator('.part.activitybar');
      await bar.getByRole('tab', { name: /^Bifrost\b/ }).or(bar.locator('[aria-label^="Bifrost"]')).first().click();
      await page.getByRole('tree', { name: 'Devices' }).getByRole('treeitem').filter({ hasText: 'Late' }).first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'Bifrost: Open Frame Debugger');
      const wv = activeWebview(page);
      await wv.locator('vscode-checkbox').filter({ hasText: 'Errors only' }).click();
      const rows = wv.locator('.list .viewport .row:not([hidden])');

      const texts = await waitUntil(
        () => rows.allInnerTexts(),
        (t) =>
          t.some((r) => /Wrong id/.test(r) && /answered the one request in flight \(transaction id \d+\) with transaction id \d+ · Read Holding/.test(r)) &&
          t.some((r) => /Late/.test(r) && /no request waits for this transaction id \(late or duplicate\): dropped · Read Holding/.test(r)) &&
          t.some((r) => /Late/.test(r) && /→ req/.test(r) && /no reply/.test(r)),
        'Errors only does not show both devices\' faults',
        30_000,
      );
      assert.ok(texts.every((r) => /Wrong id|Late/.test(r)), 'only the faulty devices\' frames');
      const wrongIdRequests = texts.filter((r) => /Wrong id/.test(r) && /→ req/.test(r));
      assert.ok(wrongIdRequests.length > 0, 'the requests the wrong-id replies failed are errors too');
      assert.ok(wrongIdRequests.every((r) => !/no reply/.test(r)), `a request answered under a wrong id is not "no reply": ${JSON.stringify(wrongIdRequests)}`);

      // A request that got no reply: selecting it highlights the no-reply marker it pairs with.
      const request = rows.filter({ hasText: 'Late' }).filter({ hasText: '→ req' }).first();
      const requestId = await request.getAttribute('data-id');
      await request.click();
      const paired = wv.locator('.list .viewport .row.paired:not([hidden])');
      await paired.first().waitFor({ timeout: 10_000 });
      const pairedText = await paired.first().innerText();
      assert.match(pairedText, /← none/);
      assert.match(pairedText, /no reply within 400 ms/);
      assert.ok(Number(await paired.first().getAttribute('data-id')) > Number(requestId), 'the marker follows its request');
      await wv.locator('.detail').getByText(/no reply/i).first().waitFor({ timeout: 10_000 });

      for (const theme of ['light', 'dark'] as const) {
        await useTheme(page, theme);
        await page.locator('.part.editor').screenshot({ path: path.join(ctx.resultsDir, `e2e-frameDebugger-faults-${theme}.png`) });
      }
    } finally {
      await stopAll();
    }
  },
};

// A device that accepts the connection and never answers, beside Demo, as a user meets it:
// within its timeout its Devices row says "not answering" and why, the status bar counts
// it as not OK, its tooltip stays while Demo's values move, and the Frame Debugger's
// "Errors only" shows its requests as "no reply". Screenshots of the tree in both themes.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { E2ETest } from './runE2E';
import { activeWebview, openBifrostSidebar, runCommand, useTheme, waitUntil } from './workbench';
import { demoDevice } from '../../gateway/api/demo';

/** Accepts connections, reads what comes, and never writes a byte. */
async function silentDevice(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const test: E2ETest = {
  name: 'devices: a silent device is not answering, with its reason, beside a live Demo',
  async run(ctx) {
    const silent = await silentDevice();
    try {
      const ws = ctx.newWorkspace();
      const device = {
        name: 'Silent meter',
        transport: { kind: 'tcp', host: '127.0.0.1', port: silent.port },
        unitId: 7,
        timeoutMs: 800,
        pollMs: 1000,
        tags: [{ name: 'energy', address: 'HR:0', type: 'uint32' }],
      };
      fs.writeFileSync(path.join(ws, 'bifrost.json'), JSON.stringify({ version: 1, devices: [demoDevice(), device] }, null, 2));
      const page = await ctx.open(ws);
      const tree = await openBifrostSidebar(page);

      const row = tree.getByRole('treeitem').filter({ has: page.locator('.label-name', { hasText: /^\s*Silent meter\s*$/ }) }).first();
      await row.waitFor({ timeout: 30_000 });
      const description = await waitUntil(
        async () => ((await row.locator('.label-description').textContent()) ?? '').trim(),
        (t) => /not answering/.test(t),
        'the silent device\'s row never said "not answering"',
      );
      assert.match(description, new RegExp(`tcp://127\\.0\\.0\\.1:${silent.port} #7 · .*no reply from unit 7 within 800 ms`));
      // The row's icon is the warning icon in the theme's warning colour.
      const icon = row.locator('.custom-view-tree-node-item-icon').first();
      assert.match((await icon.getAttribute('class')) ?? '', /codicon-warning/);

      const status = page.locator('.statusbar-item').filter({ hasText: /Bifrost \d+\/\d+/ }).first();
      const statusText = await waitUntil(async () => (await status.textContent()) ?? '', (t) => /Bifrost 1\/2/.test(t), 'status bar did not count 1 of 2 OK');
      assert.match(statusText, /Bifrost 1\/2/);

      // The tooltip of the silent device stays while Demo's counter keeps repainting its row.
      const counter = tree.getByRole('treeitem').filter({ has: page.locator('.label-name', { hasText: /^\s*counter\s*$/ }) }).first();
      await counter.waitFor({ timeout: 30_000 });
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Poll rate' });
      await row.locator('.label-name').hover();
      await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
      const tip = await hover.first().innerText();
      assert.match(tip, /Silent\smeter\s—\sNot\sanswering\ssince/); // appendText keeps spaces as no-break spaces
      let seen = await counter.locator('.label-description').textContent();
      let changes = 0;
      const shownAt = Date.now();
      const otherRows = new Set<string>();
      // Long enough for three timeouts in a row and the reopened connection they cause.
      await waitUntil(
        async () => {
          const now = await counter.locator('.label-description').textContent();
          if (now !== seen) changes++;
          seen = now;
          const text = ((await row.locator('.label-description').textContent()) ?? '').trim();
          if (!/not answering/.test(text)) otherRows.add(text);
          return { changes, held: Date.now() - shownAt };
        },
        (v) => v.changes >= 2 && v.held >= 5000,
        'counter changes and 5 s under the hover',
      );
      assert.deepEqual([...otherRows], [], 'the silent device\'s row left "not answering"');
      assert.ok(await hover.first().isVisible(), 'the tooltip vanished while Demo\'s values moved');
      assert.match((await status.textContent()) ?? '', /Bifrost 1\/2/);

      // Widen the side bar as a user would (drag its edge) so the whole reason shows on the row.
      const side = await page.locator('.part.sidebar').boundingBox();
      assert.ok(side, 'no side bar');
      await page.mouse.move(side.x + side.width + 1, side.y + 300);
      await page.mouse.down();
      await page.mouse.move(side.x + side.width + 420, side.y + 300, { steps: 10 });
      await page.mouse.up();
      await waitUntil(() => page.locator('.part.statusbar').innerText(), (t) => !/Activating Extensions/.test(t), 'extensions still activating');
      for (const theme of ['dark', 'light'] as const) {
        await page.mouse.move(700, 450);
        await hover.first().waitFor({ state: 'hidden', timeout: 10_000 });
        await useTheme(page, theme, { webview: false });
        await page.screenshot({ path: path.join(ctx.resultsDir, `e2e-devices-not-answering-${theme}.png`) });
      }

      // Frame Debugger, Errors only: the silent device's requests, each paired with "no reply".
      await runCommand(page, 'Bifrost: Open Frame Debugger');
      const wv = activeWebview(page);
      await wv.locator('vscode-checkbox').filter({ hasText: 'Errors only' }).click();
      const rows = wv.locator('.list .viewport .row:not([hidden])');
      const texts = await waitUntil(() => rows.allInnerTexts(), (t) => t.some((r) => /no reply/.test(r)), 'no "no reply" row under Errors only', 30_000);
      assert.ok(texts.every((r) => /Silent meter/.test(r)), `Errors only shows rows that are not the silent device's: ${JSON.stringify(texts.slice(0, 5))}`);
      await page.locator('.part.editor').screenshot({ path: path.join(ctx.resultsDir, 'e2e-devices-not-answering-frames.png') });
    } finally {
      await silent.close();
    }
  },
};

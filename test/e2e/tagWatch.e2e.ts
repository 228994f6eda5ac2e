// Tag Watch on the built-in Demo device, opened from the command palette: the counter's
// value changes in the table; the sine is charted in the trend pane; writing 31.4 to `setpoint` (HR:40, scale 0.1) shows the
// exact frame (06 00 28 01 3A: write single register 40 = 314), then after Confirm the
// value read back; screenshots of the panel in a light and a dark theme.
import * as assert from 'node:assert';
import * as path from 'node:path';
import type { E2ETest } from './runE2E';
import { activeWebview, openBifrostSidebar, runCommand, useTheme, waitUntil } from './workbench';

export const test: E2ETest = {
  name: 'tag watch: live values, write with confirmation and read-back',
  async run(ctx) {
    const page = await ctx.open(ctx.newWorkspace());
    await openBifrostSidebar(page);

    await runCommand(page, 'Bifrost: Watch Tags…');
    // One device (Demo): the palette goes straight to its tags, all picked; accept them.
    const tagPick = page.locator('.quick-input-widget input[placeholder="Tags of Demo to watch"]');
    await tagPick.waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');

    const wv = activeWebview(page);
    const valueOf = (tag: string) => wv.locator(`.grid .row:has(.col-0:text-is("${tag}")) .col-3`);
    const counter = valueOf('counter');
    await counter.waitFor({ timeout: 30_000 });
    const names = await wv.locator('.grid .viewport .row:not([hidden]) .col-0').allTextContents();
    for (const tag of ['counter', 'sine', 'setpoint', 'temperature']) assert.ok(names.includes(tag), `no ${tag} row in ${JSON.stringify(names)}`);

    const first = await waitUntil(() => counter.textContent(), (t) => /^\d+$/.test(t ?? ''), 'counter shows no number');
    const next = await waitUntil(() => counter.textContent(), (t) => /^\d+$/.test(t ?? '') && t !== first, `counter stayed ${first}`);
    assert.notStrictEqual(next, first);

    // Write: double-click the setpoint row opens the write pane for it.
    const setpoint = valueOf('setpoint');
    const before = await waitUntil(() => setpoint.textContent(), (t) => /\d/.test(t ?? ''), 'setpoint shows no value');
    assert.notStrictEqual(before, '31.4', 'setpoint already holds the value this test writes');
    await wv.locator('.grid .row:has(.col-0:text-is("setpoint")) .col-0').dblclick();
    const pane = wv.locator('.write-pane');
    await pane.waitFor({ state: 'visible' });
    assert.match((await pane.locator('h2').textContent()) ?? '', /Demo \/ setpoint \(HR:40, uint16\)/);
    // A value the register cannot hold is refused in plain words: no channel method name,
    // no validation-library phrasing. 7000 with scale 0.1 is 70000 raw.
    await pane.locator('vscode-text-field input').fill('7000');
    await pane.locator('vscode-button', { hasText: 'Preview frame' }).click();
    const refusal =
      (await waitUntil(() => pane.locator('.pane-message').textContent(), (t) => /^Cannot write/.test(t ?? ''), 'no refusal for 7000')) ?? '';
    assert.match(refusal, /^Cannot write: Demo: cannot write tag "setpoint" at HR:40: 70000 does not fit uint16 \(an integer 0–65535\) \(after scale 0\.1 and offset 0\)$/);
    assert.doesNotMatch(refusal, /tag\.encodeWrite|invalid params|Too big|<=/);

    await pane.locator('vscode-text-field input').fill('31.4');
    await pane.locator('vscode-button', { hasText: 'Preview frame' }).click();

    const preview = await waitUntil(() => pane.locator('.frame-preview').textContent(), (t) => (t ?? '').length > 0, 'no frame preview');
    assert.match(preview ?? '', /\b06 00 28 01 3A\b/, `preview is not FC 6 register 40 = 314: ${preview}`);
    assert.strictEqual(await pane.getAttribute('data-step'), 'confirm');
    // Nothing is sent before Confirm: the table still shows the old value.
    assert.strictEqual(await setpoint.textContent(), before);

    await pane.locator('vscode-button', { hasText: 'Confirm write' }).click();
    const message = await waitUntil(
      () => pane.locator('.pane-message').textContent(),
      (t) => /^Written|failed/.test(t ?? ''),
      'the write did not finish',
    );
    assert.strictEqual(await pane.getAttribute('data-step'), 'done', `write failed: ${message}`);
    assert.match(message ?? '', /read back 31\.4 \(good\)/);
    await waitUntil(() => setpoint.textContent(), (t) => t === '31.4', 'the table did not show the written setpoint');

    // Trend: select the sine row, Trend charts it from the host's history and live values.
    await wv.locator('.grid .row:has(.col-0:text-is("sine")) .col-0').click();
    await wv.locator('vscode-button.toggle-trend').click();
    await wv.locator('.trend-pane').waitFor({ state: 'visible' });
    // The legend fills when the host answers trend.select: wait for it, then it must name only the sine.
    const legend = await waitUntil(() => wv.locator('.trend-legend li').allTextContents(), (items) => items.length > 0, 'the trend legend stayed empty');
    assert.strictEqual(legend.join('|'), 'sine (A)');
    const drawn = await waitUntil(() => wv.locator('.trend-canvas').getAttribute('data-points'), (n) => Number(n) >= 2, 'the trend drew no points');
    const later = await waitUntil(() => wv.locator('.trend-canvas').getAttribute('data-last'), (last) => Number(last) > 0, 'no last point');
    await waitUntil(() => wv.locator('.trend-canvas').getAttribute('data-last'), (last) => Number(last) > Number(later), 'the trend did not move on with new values');
    assert.ok(Number(drawn) >= 2);
    // Zoom in to the last ~19 s (5 min / 16), where the demo's few seconds of sine fill the chart.
    for (let i = 0; i < 4; i++) await wv.locator('vscode-button.trend-zoom-in').click();
    await waitUntil(() => wv.locator('.trend-canvas').getAttribute('data-span-ms'), (ms) => ms === '18750', 'zoom did not narrow the span');

    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await page.locator('.part.editor').screenshot({ path: path.join(ctx.resultsDir, `e2e-tagWatch-${theme}.png`) });
    }
  },
};

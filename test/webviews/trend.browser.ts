// The Tag Watch trend chart: the window/zoom maths in Node, then in Chromium the chart
// fed by the page's `trend.select` request and live values: series drawn in the theme's
// colours, zoom by buttons and wheel, window choice, pause and resume, restore from a
// snapshot; screenshots in both themes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { TagWatchSnapshot, WatchRow } from '../../webviews/tagWatch/protocol';
import { appendPoint, niceTicks, stepZoom, TREND_HISTORY_MS, valueRange } from '../../webviews/tagWatch/trendData';
import { openPanel, REPO_ROOT, type WebviewPage, until } from './harness';
import type { TestCase } from './testCase';
import { THEMES } from './theme';

const SINE = 'Demo\u0000sine';

function snapshot(now: number, trend?: TagWatchSnapshot['trend']): TagWatchSnapshot {
  const row = (name: string, address: string, value: number, unit?: string): WatchRow => ({
    device: 'Demo', name, address, type: 'float32', unit, bits: false,
    value: { device: 'Demo', tag: name, value, quality: 'good', ts: now }, history: [],
  });
  return { title: 'Watch: Demo', rows: [row('sine', 'HR:1', 12.5, 'A'), row('counter', 'HR:0', 4711), row('temperature', 'IR:0', 21.5, '°C')], write: { available: true }, ...(trend ? { trend } : {}) };
}

/** Five minutes of a sine wave, one point a second, ending at `now`. */
function wave(now: number): number[] {
  return Array.from({ length: 300 }, (_, i) => [now - (300 - i) * 1000, 50 * Math.sin(i / 10)]).flat();
}


const data = (panel: WebviewPage, name: string): Promise<string | null> => panel.page.getAttribute('.trend-canvas', `data-${name}`);

/** Canvas pixels within a small distance of `hex` (antialiased line edges excluded). */
function pixelsOf(panel: WebviewPage, hex: string): Promise<number> {
  return panel.page.evaluate((hex) => {
    const canvas = document.querySelector('.trend-canvas') as HTMLCanvasElement;
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 200 && Math.abs(pixels[i] - want[0]) + Math.abs(pixels[i + 1] - want[1]) + Math.abs(pixels[i + 2] - want[2]) < 40) count++;
    }
    return count;
  }, hex);
}

export const trendTests: TestCase[] = [
  {
    name: 'trend data: history bound, zoom steps, value range and ticks',
    run() {
      const series: number[] = [];
      for (let t = 0; t <= TREND_HISTORY_MS + 60_000; t += 1000) appendPoint(series, t, t);
      assert.equal(series[0], 60_000, 'points older than the history bound are dropped');
      assert.equal(series.length, (TREND_HISTORY_MS / 1000 + 1) * 2);
      assert.equal(stepZoom(1, 1), 2);
      assert.equal(stepZoom(1, -1), 1);
      assert.equal(stepZoom(32, 1), 32);
      assert.deepEqual(valueRange([[0, 5, 10, 5]], 0, 10), { min: 4, max: 6 });
      assert.deepEqual(valueRange([[0, 0, 10, 100, 20, 1000]], 0, 10), { min: -5, max: 105 });
      assert.equal(valueRange([[0, NaN]], 0, 10), undefined);
      assert.deepEqual(niceTicks(0, 100), [0, 20, 40, 60, 80, 100]);
    },
  },
  {
    name: 'trend: selected rows are charted in theme colours, zoom, window, pause/resume, restore, screenshots',
    async run(browser) {
      const panel = await openPanel(browser, { bundle: 'tagWatch', height: 760 });
      try {
        const now = Date.now();
        await panel.notify('snapshot', snapshot(now));
        await panel.page.waitForSelector('.viewport .row:not([hidden])');
        await panel.page.locator('.viewport .row', { hasText: 'sine' }).click();
        await panel.page.click('vscode-button.toggle-trend');
        const request = await panel.nextRequest('trend.select');
        assert.deepEqual(request.params, { keys: [SINE] });
        await panel.respond(request.id, { keys: [SINE], history: { [SINE]: wave(now) } });

        await until('points drawn', async () => Number(await data(panel, 'points')) > 0);
        assert.equal(await panel.page.locator('.trend-legend li').allInnerTexts().then((t) => t.join('|')), 'sine (A)');
        assert.equal(await data(panel, 'span-ms'), String(5 * 60_000), 'the default window is 5 min');
        const drawn = Number(await data(panel, 'points'));
        assert.ok(drawn >= 295 && drawn <= 300, `points in 5 min: ${drawn}`);
        assert.ok((await pixelsOf(panel, THEMES.dark.vars['--vscode-charts-blue'])) > 100, 'the series is not drawn in the dark theme’s charts-blue');
        assert.match((await panel.page.getAttribute('.trend-canvas', 'aria-label')) ?? '', /Trend of sine \(A\) over 5 min shown/);
        await panel.page.locator('.trend-pane').screenshot({ path: path.join(REPO_ROOT, 'test-results', 'tagWatch-trend-dark.png') });

        // Zoom: buttons halve/double the span, the wheel over the chart too.
        await panel.page.click('vscode-button.trend-zoom-in');
        await until('zoomed in', async () => (await data(panel, 'span-ms')) === '150000');
        await panel.page.locator('.trend-canvas').hover();
        await panel.page.mouse.wheel(0, -100);
        await until('wheel zoom', async () => (await data(panel, 'span-ms')) === '75000');
        assert.ok(Number(await data(panel, 'points')) < drawn, 'a narrower span draws fewer points');
        await panel.page.click('vscode-button.trend-zoom-out');
        await until('zoomed out', async () => (await data(panel, 'span-ms')) === '150000');

        // Window: 1 min at zoom 2 shows 30 s.
        await panel.page.evaluate(() => {
          const choice = document.querySelector('vscode-dropdown.trend-window') as HTMLElement & { value: string };
          choice.value = '60000';
          choice.dispatchEvent(new Event('change'));
        });
        await until('1 min window', async () => (await data(panel, 'span-ms')) === '30000');

        // Pause: the chart stops moving while values keep arriving; resume shows them.
        await panel.page.click('vscode-button.trend-pause');
        await until('paused', async () => (await data(panel, 'paused')) === 'true');
        const pausedEnd = await data(panel, 'end');
        const before = Number(await data(panel, 'points'));
        const fresh = Date.now() + 500;
        await panel.notify('values', { values: [1, 2, 3].map((i) => ({ device: 'Demo', tag: 'sine', value: 10 * i, quality: 'good', ts: fresh + i * 100 })) });
        await panel.page.waitForTimeout(300);
        assert.equal(await data(panel, 'end'), pausedEnd, 'the chart moved while paused');
        assert.equal(Number(await data(panel, 'points')), before);
        assert.ok(Number(await data(panel, 'last')) < fresh, 'values that arrived while paused were drawn');
        assert.equal(await panel.page.textContent('vscode-button.trend-pause'), 'Resume');
        await panel.page.click('vscode-button.trend-pause');
        await until('the held values drawn after resume', async () => (await data(panel, 'last')) === String(fresh + 300), 5000);

        // Theme change: the series takes the light theme's colour.
        await panel.page.click('vscode-button.trend-zoom-out');
        await panel.setTheme('light');
        await until('light charts-blue', async () => (await pixelsOf(panel, THEMES.light.vars['--vscode-charts-blue'])) > 20);
        await panel.page.locator('.trend-pane').screenshot({ path: path.join(REPO_ROOT, 'test-results', 'tagWatch-trend-light.png') });

        // Shown again: the page is rebuilt from the snapshot, trend included.
        await panel.notify('snapshot', snapshot(Date.now(), { keys: [SINE, 'Demo\u0000counter'], history: { [SINE]: wave(Date.now()), 'Demo\u0000counter': [Date.now() - 1000, 4711] } }));
        await until('two series', async () => (await panel.page.locator('.trend-legend li').count()) === 2);

        // Clear trend asks the host for an empty set.
        await panel.page.click('vscode-button.trend-clear');
        const cleared = await panel.nextRequest('trend.select');
        assert.deepEqual(cleared.params, { keys: [] });
        assert.deepEqual(await panel.violations(), []);
      } finally {
        await panel.page.context().close();
      }
    },
  },
];

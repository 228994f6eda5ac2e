/**
 * The Tag Watch page under load, for `npm run bench`: Debian's Chromium (headless, no
 * GPU) with the webview tests' harness and fake VS Code API, fed 10,000 tags with every
 * value changing ten times a second (a batch of 5,000 values every 50 ms, as the
 * extension relays them), 5 s with the table still and 5 s while scrolling (37 px a
 * frame) in a 1280 × 800 page, after 1 s of warm-up. Frame times are the gaps between
 * requestAnimationFrame callbacks; "grid paint" is the script time of the page's own
 * animation-frame callbacks. Measured, never asserted: on a shared 2-core machine they
 * measure the neighbours as much as the grid. Runs under tsx (not bundled): it drives
 * the built webview bundle in dist/webviews.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { launch, openPanel, REPO_ROOT } from '../webviews/harness';
import { snapshot } from '../webviews/tagWatch.browser';
import { percentile } from './stats';

interface Run {
  frames: number[];
  paints: number[];
  values: number;
  batches: number;
}

const TAGS = 10_000;

export async function webviewSection(progress: (message: string) => void): Promise<string[]> {
  progress('Tag Watch: building the webview bundles');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const browser = await launch();
  try {
    const panel = await openPanel(browser, { bundle: 'tagWatch', width: 1280, height: 800 });
    await panel.notify('snapshot', snapshot(TAGS));
    await panel.page.waitForSelector('.viewport .row:not([hidden])');
    const names = snapshot(TAGS).rows.map((row) => row.name);
    progress('Tag Watch: 10,000 tags at 10 Hz, table still (6 s)');
    const still = await measure(panel.page, names, false);
    progress('Tag Watch: 10,000 tags at 10 Hz, scrolling (6 s)');
    const scrolling = await measure(panel.page, names, true);
    const domRows = await panel.page.locator('.viewport .row').count();
    const line = (label: string, run: Run): string => {
      const frames = [...run.frames].sort((a, b) => a - b);
      const paints = [...run.paints].sort((a, b) => a - b);
      const ms = (value: number, digits = 1) => `${value.toFixed(digits)} ms`;
      return `| ${label} | ${frames.length} | ${ms(percentile(frames, 0.5))} | ${ms(percentile(frames, 0.95))} | ${ms(frames[frames.length - 1] ?? 0)} | ${ms(percentile(paints, 0.5), 2)} | ${ms(percentile(paints, 0.95), 2)} | ${run.values} in ${run.batches} |`;
    };
    return [
      '### Tag Watch: 10,000 tags at 10 Hz',
      '',
      `Chromium ${browser.version()}, headless without a GPU; ${domRows} row elements in the DOM for 10,000 tags (virtualized).`,
      '',
      '| 10,000 tags at 10 Hz | frames in 5 s | frame time p50 | p95 | max | grid paint p50 | p95 | values in batches |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      line('table still', still),
      line('scrolling', scrolling),
    ];
  } finally {
    await browser.close();
  }
}

/** Feeds batches from inside the page and records frame gaps and paint times for 5 s after 1 s of warm-up. */
function measure(page: import('playwright-core').Page, names: string[], scrolling: boolean): Promise<Run> {
  return page.evaluate(
    async ({ names, scrolling }) => {
      const viewport = document.querySelector('.viewport') as HTMLElement;
      const paints: number[] = [];
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (callback) =>
        raf((t) => {
          const started = performance.now();
          callback(t);
          paints.push(performance.now() - started);
        });
      const frames: number[] = [];
      let values = 0;
      let batches = 0;
      let tick = 0;
      // A batch every 50 ms; at 10 Hz each tag is in every other one.
      const timer = setInterval(() => {
        const half = tick++ % 2;
        const ts = Date.now();
        const batch = [];
        for (let i = half; i < names.length; i += 2) batch.push({ device: 'Demo', tag: names[i], value: (i + tick) & 0xffff, raw: [(i + tick) & 0xffff], quality: 'good', ts });
        values += batch.length;
        batches++;
        window.postMessage({ kind: 'notification', method: 'values', params: { values: batch } }, '*');
      }, 50);
      await new Promise((r) => setTimeout(r, 1000)); // warm-up: JIT, first paints
      paints.length = 0;
      values = 0;
      batches = 0;
      await new Promise<void>((resolve) => {
        const start = performance.now();
        let last = start;
        const frame = (t: number): void => {
          frames.push(t - last);
          last = t;
          if (scrolling) viewport.scrollTop += 37;
          if (t - start < 5000) raf(frame);
          else resolve();
        };
        raf(frame);
      });
      clearInterval(timer);
      window.requestAnimationFrame = raf;
      return { frames: frames.slice(1), paints, values, batches };
    },
    { names, scrolling },
  );
}

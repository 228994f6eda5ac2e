// The Tag Watch page in Chromium: grid, virtualization, display modes, decode-as,
// flash, keyboard, the write confirmation, copy/export, state, CSP; theme colours.
// Frame times for 10,000 tags at 10 Hz are measured by `npm run bench` (test/bench/webviewSection.ts).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { TagValue } from '../../gateway/api';
import type { TagWatchSnapshot, WatchRow } from '../../webviews/tagWatch/protocol';
import { openPanel, REPO_ROOT, type WebviewPage, until } from './harness';
import { THEMES } from './theme';
import type { TestCase } from './testCase';

const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);

function row(name: string, address: string, type: string, value: TagValue['value'], extra: Partial<WatchRow> & Partial<TagValue> = {}): WatchRow {
  const { raw, quality, error, unit, bits, history } = extra;
  return {
    device: 'Demo',
    name,
    address,
    type,
    unit,
    bits: bits ?? false,
    scanMs: 1000,
    value: { device: 'Demo', tag: name, value, raw, quality: quality ?? 'good', error, ts: NOW },
    history: history ?? [],
  };
}

/** A few demo-like tags first, then generated ones up to `count`. */
function rows(count: number): WatchRow[] {
  const wave = (phase: number): number[] => Array.from({ length: 60 }, (_, i) => [NOW - (60 - i) * 100, 50 * Math.sin(i / 6 + phase)]).flat();
  const fixed = [
    row('pi ABCD', 'HR:10', 'float32', 3.1415927, { raw: [0x4049, 0x0fdb], history: wave(0) }),
    row('counter', 'HR:0', 'uint16', 4711, { raw: [4711], history: Array.from({ length: 60 }, (_, i) => [NOW - (60 - i) * 100, 4651 + i]).flat() }),
    row('sine', 'HR:1', 'float32', 12.5, { raw: [0x4148, 0x0000], unit: 'A', history: wave(1) }),
    row('negative', 'HR:3', 'int16', -1234, { raw: [0xfb2e] }),
    row('temperature', 'IR:0', 'int16', 21.5, { raw: [215], unit: '°C', history: wave(2) }),
    row('running', 'CO:0', 'bool', true, { raw: [1], bits: true }),
    row('missing', 'HR:900', 'uint16', null, { quality: 'bad', error: 'exception 2 (illegal data address)' }),
    row('old', 'HR:901', 'uint16', 7, { raw: [7], quality: 'stale', error: 'no answer within 1000 ms' }),
  ];
  const generated: WatchRow[] = [];
  for (let i = fixed.length; i < count; i++) generated.push(row(`tag ${String(i).padStart(5, '0')}`, `HR:${1000 + i}`, 'uint16', i, { raw: [i & 0xffff] }));
  return [...fixed, ...generated];
}

/** The panel's snapshot: demo-like tags first, then generated ones up to `count` (the bench loads 10,000). */
export function snapshot(count: number, write: TagWatchSnapshot['write'] = { available: true }): TagWatchSnapshot {
  return { title: 'Watch: Demo', rows: rows(count), write };
}

async function loaded(browser: Browser, count = 10_000, options: Parameters<typeof openPanel>[1] extends infer O ? Partial<O> : never = {}, write?: TagWatchSnapshot['write']): Promise<WebviewPage> {
  const panel = await openPanel(browser, { bundle: 'tagWatch', ...options });
  await panel.notify('snapshot', snapshot(count, write));
  await panel.page.waitForSelector('.viewport .row:not([hidden])');
  return panel;
}

/** Text of the cells of the DOM row showing `name`, or undefined if it is not in the DOM. */
async function rowTexts(panel: WebviewPage, name: string): Promise<string[] | undefined> {
  return panel.page.evaluate((name) => {
    const row = [...document.querySelectorAll('.viewport .row:not([hidden])')].find((r) => r.querySelector('.col-0')?.textContent === name);
    return row ? [...row.querySelectorAll('.cell')].map((c) => c.textContent ?? '') : undefined;
  }, name);
}


async function close(panel: WebviewPage): Promise<void> {
  await panel.page.context().close();
}

async function setMode(panel: WebviewPage, mode: string): Promise<void> {
  await panel.page.evaluate((mode) => {
    const dropdown = document.querySelector('vscode-dropdown') as HTMLElement & { value: string };
    dropdown.value = mode;
    dropdown.dispatchEvent(new Event('change'));
  }, mode);
}

export const browserTests: TestCase[] = [
  {
    name: 'tag watch: loads under the strict CSP with no violation, says ready, keeps 10,000 rows virtualized',
    async run(browser) {
      const panel = await loaded(browser);
      try {
        assert.deepEqual(await panel.violations(), []);
        const domRows = await panel.page.locator('.viewport .row').count();
        assert.ok(domRows > 10 && domRows < 60, `rows in the DOM: ${domRows}`);
        assert.equal(await panel.page.getAttribute('.grid', 'aria-rowcount'), '10001');
        assert.deepEqual((await rowTexts(panel, 'pi ABCD'))?.slice(0, 6), ['pi ABCD', 'HR:10', 'float32', '3.1415927', '', 'good']);
        assert.equal((await rowTexts(panel, 'missing'))?.[5], 'error: exception 2 (illegal data address)');
        assert.equal((await rowTexts(panel, 'old'))?.[5], 'stale: no answer within 1000 ms');
        // Scrolled to the end, the last tag is in the DOM and the pool did not grow.
        await panel.page.evaluate(() => (document.querySelector('.viewport')!.scrollTop = 1e9));
        await until('the last row', () => rowTexts(panel, 'tag 09999'));
        assert.equal(await panel.page.locator('.viewport .row').count(), domRows);
        assert.match(await panel.page.locator('.status').innerText(), /10000 tags/);
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: a values batch updates the grid in the next frame and flashes the changed row',
    async run(browser) {
      const panel = await loaded(browser, 100);
      try {
        await panel.notify('values', { values: [{ device: 'Demo', tag: 'counter', value: 4712, raw: [4712], quality: 'good', ts: NOW + 100 }] });
        await until('the new value', async () => (await rowTexts(panel, 'counter'))?.[3] === '4712');
        const classes = await panel.page.evaluate(() => [...document.querySelectorAll('.viewport .row')].filter((r) => /flash-[ab]/.test(r.className)).map((r) => r.querySelector('.col-0')?.textContent));
        assert.deepEqual(classes, ['counter']);
        // The next change restarts the flash under the other animation name.
        await panel.notify('values', { values: [{ device: 'Demo', tag: 'counter', value: 4713, raw: [4713], quality: 'good', ts: NOW + 200 }] });
        await until('the second flash', () => panel.page.evaluate(() => document.querySelector('.viewport .row.flash-b .col-0')?.textContent === 'counter'));
        // A tag going bad shows the reason.
        await panel.notify('values', { values: [{ device: 'Demo', tag: 'sine', value: null, quality: 'bad', error: 'connection refused', ts: NOW + 300 }] });
        await until('the error', async () => (await rowTexts(panel, 'sine'))?.[5] === 'error: connection refused');
        // An older batch never rolls a value back.
        await panel.notify('values', { values: [{ device: 'Demo', tag: 'counter', value: 1, raw: [1], quality: 'good', ts: NOW }] });
        await new Promise((r) => setTimeout(r, 100));
        assert.equal((await rowTexts(panel, 'counter'))?.[3], '4713');
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: a read that changes nothing moves Read, not Changed, and does not flash; not answering shows as such',
    async run(browser) {
      const panel = await loaded(browser, 100);
      try {
        const time = (ms: number) => panel.page.evaluate((ms) => {
          const d = new Date(ms);
          const pad = (n: number, w = 2) => String(n).padStart(w, '0');
          return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
        }, ms);
        // The rows were read at NOW; every good tag of the Demo device scanned at 1 s is read again three minutes later.
        await panel.notify('values', { values: [], reads: [{ device: 'Demo', scanMs: 1000, at: NOW + 180_000 }] });
        await until('the new read time', async () => (await rowTexts(panel, 'counter'))?.[6] === (await time(NOW + 180_000)));
        const counter = (await rowTexts(panel, 'counter'))!;
        assert.equal(counter[3], '4711', 'the value stays');
        assert.equal(counter[7], await time(NOW), 'Changed stays at the last change');
        assert.equal((await rowTexts(panel, 'old'))?.[6], await time(NOW), 'a stale tag was not read');
        const flashing = await panel.page.evaluate(() => document.querySelectorAll('.viewport .row.flash-a, .viewport .row.flash-b').length);
        assert.equal(flashing, 0, 'a read without a change does not flash');
        // The device holds its connection but does not reply: its failed tags say so, in the warning colour.
        await panel.notify('values', { values: [{ device: 'Demo', tag: 'sine', value: null, quality: 'bad', error: 'no reply from unit 1 within 1000 ms', ts: NOW + 181_000 }] });
        await panel.notify('deviceState', { device: 'Demo', state: 'notAnswering' });
        await until('not answering', async () => (await rowTexts(panel, 'sine'))?.[5] === 'not answering: no reply from unit 1 within 1000 ms');
        const colours = await panel.page.evaluate(() => {
          const row = [...document.querySelectorAll('.viewport .row')].find((r) => r.querySelector('.col-0')?.textContent === 'sine')!;
          const probe = document.createElement('span');
          probe.style.color = 'var(--vscode-editorWarning-foreground)';
          document.body.append(probe);
          const expected = getComputedStyle(probe).color;
          probe.remove();
          return { quality: getComputedStyle(row.querySelector('.col-5')!).color, expected };
        });
        assert.equal(colours.quality, colours.expected);
        assert.equal((await rowTexts(panel, 'counter'))?.[5], 'good', 'a tag still read fine stays good');
        // It answers again: the rows go back to their own quality.
        await panel.notify('deviceState', { device: 'Demo', state: 'connected' });
        await until('the plain error again', async () => (await rowTexts(panel, 'sine'))?.[5] === 'error: no reply from unit 1 within 1000 ms');
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: hex and binary show the raw registers; the choice is saved in the webview state',
    async run(browser) {
      const panel = await loaded(browser, 100);
      try {
        await setMode(panel, 'hex');
        await until('hex', async () => (await rowTexts(panel, 'pi ABCD'))?.[3] === '0x4049 0x0FDB');
        assert.equal((await rowTexts(panel, 'negative'))?.[3], '0xFB2E');
        assert.equal((await rowTexts(panel, 'running'))?.[3], '1');
        await setMode(panel, 'binary');
        await until('binary', async () => (await rowTexts(panel, 'pi ABCD'))?.[3] === '01000000 01001001 | 00001111 11011011');
        assert.equal(((await panel.state()) as { mode: string }).mode, 'binary');
      } finally {
        await close(panel);
      }
      // Shown again (a new page with the saved state and a fresh snapshot): still binary.
      const again = await loaded(browser, 100, { savedState: { mode: 'binary', filter: 'pi', pane: 'decode', scrollTop: 0 } });
      try {
        await until('binary after restore', async () => (await rowTexts(again, 'pi ABCD'))?.[3] === '01000000 01001001 | 00001111 11011011');
        assert.equal(await again.page.locator('.viewport .row:not([hidden])').count(), 1, 'the filter is restored');
        assert.equal(await again.page.locator('.decode-pane').isVisible(), true, 'the decode pane is restored');
      } finally {
        await close(again);
      }
    },
  },
  {
    name: 'tag watch: decode-as shows π 0x4049 0x0FDB in every type and byte order',
    async run(browser) {
      const panel = await loaded(browser, 100);
      try {
        await panel.page.click('.grid .viewport .row >> nth=0');
        await panel.page.click('vscode-button.toggle-decode');
        const cell = (type: string, order: string): Promise<string | null> => panel.page.textContent(`.decode-table tr[data-type="${type}"] td[data-order="${order}"]`);
        await until('the decode table', async () => (await cell('float32', 'ABCD')) === '3.1415927');
        assert.equal(await cell('uint32', 'ABCD'), '1078530011');
        assert.equal(await cell('int16', 'ABCD'), '16457');
        assert.equal(await cell('uint32', 'CDAB'), String(0x0fdb4049));
        assert.equal(await cell('uint16', 'BADC'), String(0x4940));
        assert.equal(await cell('float64', 'ABCD'), '—');
        // A typed block replaces the row's: the demo's π in DCBA reads as π under DCBA.
        await panel.page.evaluate(() => {
          const field = document.querySelector('.decode-input') as HTMLElement & { value: string };
          field.value = 'DB0F 4940';
          field.dispatchEvent(new Event('input'));
        });
        await until('the typed block', async () => (await cell('float32', 'DCBA')) === '3.1415927');
        assert.deepEqual(await panel.violations(), []);
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: arrow keys move the active cell, Ctrl+C copies the selected rows',
    async run(browser) {
      const panel = await loaded(browser, 10_000);
      try {
        await panel.page.focus('.grid');
        for (let i = 0; i < 3; i++) await panel.page.keyboard.press('ArrowDown');
        await panel.page.keyboard.press('Shift+ArrowDown');
        await panel.page.keyboard.press('ArrowRight');
        const activeCell = () =>
          panel.page.evaluate(() => {
            const id = document.querySelector('.grid')!.getAttribute('aria-activedescendant')!;
            const cell = document.getElementById(id)!;
            return { column: cell.className, row: cell.parentElement!.getAttribute('aria-rowindex'), text: cell.textContent };
          });
        // The grid repaints once per animation frame: wait for the frame after the last key.
        await until('the active cell to move right', async () => /col-1/.test((await activeCell()).column));
        const active = await activeCell();
        assert.equal(active.row, '6', 'header is row 1, the fifth tag row 6');
        assert.match(active.column, /col-1 .*active-cell/);
        assert.equal(active.text, 'IR:0', 'the fifth tag is temperature');
        await panel.page.keyboard.press('Control+c');
        const copy = await panel.nextRequest('clipboard.copy');
        const lines = (copy.params as { text: string }).text.trim().split('\n');
        assert.equal(lines.length, 3);
        assert.match(lines[1], /^Demo\tnegative\tHR:3\tint16\t-1234\t/);
        await panel.respond(copy.id, {});
        await until('the copied message', async () => /Copied 2 rows/.test(await panel.page.locator('.status').innerText()));
        // Ctrl+End reaches the last of 10,000 rows and scrolls it into view.
        await panel.page.keyboard.press('Control+End');
        await until('the last row', () => rowTexts(panel, 'tag 09999'));
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: write shows the frame, sends only after Confirm, then shows the read-back',
    async run(browser) {
      const panel = await loaded(browser, 100);
      try {
        await panel.page.click('.viewport .row >> nth=1'); // counter
        await panel.page.keyboard.press('Enter');
        await until('the write pane', () => panel.page.locator('.write-pane').isVisible());
        await panel.page.evaluate(() => {
          const field = document.querySelector('.write-pane vscode-text-field') as HTMLElement & { value: string };
          field.value = '250';
          field.dispatchEvent(new Event('input'));
        });
        assert.equal(await panel.page.getAttribute('.write-pane vscode-button >> nth=1', 'disabled'), '', 'Confirm is disabled before a preview');
        await panel.page.click('.write-pane vscode-button >> nth=0');
        const preview = await panel.nextRequest('write.preview');
        assert.deepEqual(preview.params, { device: 'Demo', tag: 'counter', value: 250 });
        assert.equal((await panel.sent()).some((m) => m.method === 'write.commit'), false, 'nothing is written before Confirm');
        await panel.respond(preview.id, { frameHex: '06 00 00 00 FA', summary: 'write single register 0 (uint16 250 → 0x00FA)' });
        await until('the frame', async () => (await panel.page.textContent('.frame-preview')) === '06 00 00 00 FA');
        await panel.page.click('.write-pane vscode-button >> nth=1');
        const commit = await panel.nextRequest('write.commit');
        assert.deepEqual(commit.params, { device: 'Demo', tag: 'counter', value: 250 });
        await panel.respond(commit.id, { readBack: { device: 'Demo', tag: 'counter', value: 250, raw: [250], quality: 'good', ts: NOW + 1000 } });
        await until('the read-back', async () => /Written 250; read back 250 \(good\)/.test((await panel.page.textContent('.write-pane .pane-message')) ?? ''));

        // A read-only device: the gateway's refusal is shown as it is.
        await panel.page.evaluate(() => {
          const field = document.querySelector('.write-pane vscode-text-field') as HTMLElement & { value: string };
          field.value = '7';
          field.dispatchEvent(new Event('input'));
        });
        await panel.page.click('.write-pane vscode-button >> nth=0');
        const refused = await panel.nextRequest('write.preview');
        await panel.respondError(refused.id, 'tag.encodeWrite: Demo is read-only (readOnly in bifrost.json)');
        await until('the refusal', async () => /Cannot write: .*read-only/.test((await panel.page.textContent('.write-pane .pane-message')) ?? ''));
        assert.equal(await panel.page.getAttribute('.write-pane', 'data-step'), 'error');
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: without write support the controls are disabled and say why',
    async run(browser) {
      const panel = await loaded(browser, 10, {}, { available: false, reason: 'this gateway version has no write methods' });
      try {
        await panel.page.click('.viewport .row >> nth=0');
        await panel.page.keyboard.press('Enter');
        await until('the message', async () => /not available: this gateway version has no write methods/.test((await panel.page.textContent('.write-pane .pane-message')) ?? ''));
        assert.equal(await panel.page.getAttribute('.write-pane vscode-button >> nth=0', 'disabled'), '');
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: Export CSV sends the history of the rows shown',
    async run(browser) {
      const panel = await loaded(browser, 100);
      try {
        await panel.page.evaluate(() => {
          const field = document.querySelector('.toolbar .filter') as HTMLElement & { value: string };
          field.value = 'counter';
          field.dispatchEvent(new Event('input'));
        });
        await panel.page.click('vscode-button:has-text("Export CSV")');
        const request = await panel.nextRequest('export.csv');
        const lines = (request.params as { csv: string }).csv.trim().split('\n');
        assert.equal(lines[0], 'device,tag,address,unit,timestamp,epoch_ms,value');
        assert.equal(lines.length, 61, 'header and 60 history points of the one tag shown');
        assert.match(lines[60], /^Demo,counter,HR:0,,2026-01-15T09:29:59\.900Z,\d+,4710$/);
        await panel.respond(request.id, { path: '/tmp/x.csv' });
        await until('the status', async () => /Exported the history of 1 tags/.test(await panel.page.locator('.status').innerText()));
      } finally {
        await close(panel);
      }
    },
  },
  {
    name: 'tag watch: each theme colours the page, bad and stale quality from its own variables (screenshots of both)',
    async run(browser) {
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
      for (const theme of ['dark', 'light'] as const) {
        const panel = await loaded(browser, 10_000, { theme, width: 1100, height: 560 });
        try {
          await panel.page.click('.viewport .row >> nth=0');
          await panel.page.click('vscode-button.toggle-decode');
          await panel.page.waitForSelector('.decode-table tr[data-type="float32"]');
          await panel.notify('values', { values: [{ device: 'Demo', tag: 'counter', value: 4712, raw: [4712], quality: 'good', ts: NOW + 100 }] });
          await until('the counter flash', () => panel.page.evaluate(() => document.querySelector('.viewport .row.flash-a .col-0, .viewport .row.flash-b .col-0')?.textContent === 'counter'));
          const colours = await panel.page.evaluate(() => {
            const cell = (name: string, column: number) => {
              const row = [...document.querySelectorAll('.viewport .row')].find((r) => r.querySelector('.col-0')?.textContent === name)!;
              return getComputedStyle(row.querySelector(`.col-${column}`)!).color;
            };
            return { body: getComputedStyle(document.body).backgroundColor, bad: cell('missing', 5), stale: cell('old', 5), good: cell('counter', 5) };
          });
          const vars = THEMES[theme].vars;
          assert.equal(colours.bad, rgb(vars['--vscode-errorForeground']), `${theme}: bad quality in the error colour`);
          assert.equal(colours.stale, rgb(vars['--vscode-editorWarning-foreground']), `${theme}: stale quality in the warning colour`);
          assert.notEqual(colours.good, colours.bad);
          assert.equal(colours.body, rgb(vars['--vscode-editor-background']), `${theme}: the page has the theme's background`);
          const file = path.join(REPO_ROOT, 'test-results', `tagWatch-${theme}.png`);
          await panel.page.screenshot({ path: file });
          console.log(`       ${path.relative(REPO_ROOT, file)}`);
        } finally {
          await close(panel);
        }
      }
    },
  },
];

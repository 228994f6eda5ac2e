// The Frame Debugger page in Chromium with a fake VS Code API: the live list and its
// pairing, filters, pause that keeps arrivals, field ↔ byte highlighting both ways,
// replay shown beside the old response, CSP; screenshots in both themes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { CapturedFrame } from '../../gateway/api/capture';
import type { DecodedFrame } from '../../gateway/api/frames';
import type { FrameDebuggerSnapshot } from '../../webviews/frameDebugger/protocol';
import { openPanel, REPO_ROOT, type WebviewPage, until } from './harness';
import type { TestCase } from './runWebviewTests';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);
const LINK = 'tcp://127.0.0.1:5020';

function tcp(id: number, direction: 'tx' | 'rx', tid: number, pdu: string, extra: Partial<CapturedFrame> = {}): CapturedFrame {
  const length = pdu.length / 2 + 1;
  const hex = tid.toString(16).padStart(4, '0') + '0000' + length.toString(16).padStart(4, '0') + '01' + pdu;
  return { id, ts: T0 + tid * 100 + (direction === 'rx' ? 2.5 : 0), direction, link: LINK, device: 'Demo', unitId: 1, hex, ...extra };
}

/** Pairs of FC 3 and FC 4 reads, one exception reply and one dropped late reply. */
function frames(): CapturedFrame[] {
  const list: CapturedFrame[] = [];
  let id = 1;
  for (let tid = 1; tid <= 20; tid++) {
    const fc3 = tid % 2 === 1;
    list.push(tcp(id++, 'tx', tid, fc3 ? '0300000002' : '0400000001'));
    list.push(tcp(id++, 'rx', tid, fc3 ? '030400070008' : '040200d7'));
  }
  list.push(tcp(id++, 'tx', 21, '03fff00002'));
  list.push(tcp(id++, 'rx', 21, '8302'));
  list.push(tcp(id++, 'rx', 99, '030400070008', { note: 'no request waits for this transaction id (late or duplicate): dropped' }));
  return list;
}

function snapshot(): FrameDebuggerSnapshot {
  return { frames: frames(), capacity: 10_000, dropped: 0, devices: ['Demo'] };
}

/** A decoded tree shaped like the gateway decoder's, enough for the page. */
function decodedFor(hex: string, direction: 'request' | 'response'): DecodedFrame {
  const bytes = Buffer.from(hex, 'hex');
  const functionCode = bytes[7];
  return {
    framing: 'tcp',
    direction,
    directionInferred: false,
    summary: `${functionCode & 0x80 ? 'Exception' : functionCode === 3 ? 'Read Holding Registers' : 'Read Input Registers'} unit 1 transaction ${bytes.readUInt16BE(0)}`,
    fields: [
      {
        offset: 0, length: 7, name: 'MBAP header', value: bytes.readUInt16BE(0),
        children: [
          { offset: 0, length: 2, name: 'Transaction id', value: bytes.readUInt16BE(0) },
          { offset: 2, length: 2, name: 'Protocol id', value: 0 },
          { offset: 4, length: 2, name: 'Length', value: bytes.readUInt16BE(4) },
          { offset: 6, length: 1, name: 'Unit id', value: 1 },
        ],
      },
      { offset: 7, length: bytes.length - 7, name: 'PDU', value: null, children: [{ offset: 7, length: 1, name: 'Function code', value: functionCode }] },
    ],
    problems: [],
    unitId: 1,
    functionCode,
    transactionId: bytes.readUInt16BE(0),
  };
}

/** Answers every frames.decode request the page makes, until stopped. */
function autoDecode(panel: WebviewPage): () => void {
  let running = true;
  const answered = new Set<number>();
  void (async () => {
    while (running) {
      const sent = await panel.sent().catch(() => []);
      for (const m of sent) {
        if (m.kind !== 'request' || m.method !== 'frames.decode' || answered.has(m.id!)) continue;
        answered.add(m.id!);
        const p = m.params as { hex: string; direction: 'request' | 'response' };
        await panel.respond(m.id!, decodedFor(p.hex, p.direction)).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return () => (running = false);
}


async function loaded(browser: Browser, theme: 'dark' | 'light' = 'dark'): Promise<{ panel: WebviewPage; stop: () => void }> {
  const panel = await openPanel(browser, { bundle: 'frameDebugger', theme, height: 760 });
  const stop = autoDecode(panel);
  await panel.notify('snapshot', snapshot());
  await panel.page.waitForSelector('.viewport .row:not([hidden])');
  return { panel, stop };
}

/** The texts of every row in the DOM, by frame id. */
function rowTexts(panel: WebviewPage): Promise<Record<string, string[]>> {
  return panel.page.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const row of document.querySelectorAll<HTMLElement>('.viewport .row:not([hidden])')) {
      out[row.dataset.id!] = [...row.querySelectorAll('.cell')].map((c) => c.textContent ?? '');
    }
    return out;
  });
}

function status(panel: WebviewPage): Promise<string> {
  return panel.page.locator('.status').innerText();
}

async function close(panel: WebviewPage, stop: () => void): Promise<void> {
  stop();
  assert.deepEqual(await panel.violations(), [], 'no CSP violations');
  await panel.page.context().close();
}

async function setDropdown(panel: WebviewPage, selector: string, value: string): Promise<void> {
  await panel.page.evaluate(
    ({ selector, value }) => {
      const element = document.querySelector(selector) as HTMLElement & { value: string };
      element.value = value;
      element.dispatchEvent(new Event('change'));
    },
    { selector, value },
  );
}

export const frameDebuggerTests: TestCase[] = [
  {
    name: 'frame debugger: lists frames live, pairs requests with responses and their round trip, flags errors',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      assert.match(await status(panel), /^43 frames \(ring holds 10000\)/);
      const texts = await until('summaries from the decoder', async () => {
        const t = await rowTexts(panel);
        return t['41']?.[5]?.includes('Read Holding') ? t : undefined;
      });
      // The list follows the tail: the newest rows are in view.
      assert.deepEqual(texts['41'].slice(1, 5), ['→ req', 'Demo', '1', '3']);
      assert.equal(texts['42'][4], '3 ⚠', 'exception reply: its function, flagged');
      assert.equal(texts['42'][6], '2.5 ms', 'paired by transaction id, round trip shown');
      assert.equal(texts['41'][6], '2.5 ms');
      assert.equal(texts['43'][6], '', 'a dropped late reply pairs with nothing');
      const errors = await panel.page.$$eval('.viewport .row.error', (rows) => rows.map((r) => (r as HTMLElement).dataset.id).sort());
      assert.deepEqual(errors, ['42', '43']);

      await panel.notify('frames', { frames: [tcp(44, 'tx', 22, '0300000002'), tcp(45, 'rx', 22, '030400070008')] });
      await until('the new batch', async () => (await rowTexts(panel))['45']?.[6] === '2.5 ms');
      assert.match(await status(panel), /^45 frames/);
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: filters by function, direction, errors only and free text',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      await setDropdown(panel, '.filter-function', '4');
      await until('FC 4 only', async () => (await status(panel)).startsWith('20 of 43 frames'));
      await until('only FC 4 rows painted', async () => {
        const codes = Object.values(await rowTexts(panel)).map((t) => t[4]);
        return codes.length > 0 && codes.every((c) => c === '4');
      });
      await setDropdown(panel, '.filter-function', '');
      await setDropdown(panel, 'vscode-dropdown[aria-label="Filter by direction"]', 'tx');
      await until('requests only', async () => (await status(panel)).startsWith('21 of 43'));
      await setDropdown(panel, 'vscode-dropdown[aria-label="Filter by direction"]', '');
      await panel.page.locator('.filter-errors').click();
      await until('errors only', async () => (await status(panel)).startsWith('2 of 43'));
      await panel.page.locator('.filter-errors').click();
      await panel.page.locator('.filter-text input').fill('late or duplicate');
      await until('free text', async () => (await status(panel)).startsWith('1 of 43'));
      await panel.page.locator('.filter-text input').fill('03 FF F0');
      await until('hex bytes match', async () => (await status(panel)).startsWith('1 of 43'));
      assert.ok((await panel.state()) && JSON.stringify(await panel.state()).includes('03 FF F0'), 'the filter survives hiding');
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: pause keeps what arrives meanwhile and shows it on resume',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      await panel.page.locator('.pause').click();
      await panel.notify('frames', { frames: [tcp(44, 'tx', 22, '0300000002'), tcp(45, 'rx', 22, '030400070008')] });
      await until('held count', async () => (await status(panel)).includes('paused, 2 waiting'));
      assert.equal((await rowTexts(panel))['45'], undefined, 'the list does not move while paused');
      await panel.page.locator('.pause').click();
      await until('resumed rows', async () => (await rowTexts(panel))['45']?.[6] === '2.5 ms');
      assert.match(await status(panel), /^45 frames/);
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: selected frame shows fields beside bytes; hovering either highlights the other',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      await panel.page.locator('.viewport .row[data-id="41"]').click();
      await panel.page.waitForSelector('.detail .field');
      const heading = await panel.page.locator('.detail > .frame-view > .frame-heading').innerText();
      assert.match(heading, /#41 request to Demo — Read Holding Registers/);
      assert.equal(await panel.page.locator('.detail > .frame-view .byte').count(), 12);
      // Field → bytes
      await panel.page.locator('.detail > .frame-view .field-line', { hasText: 'Length' }).hover();
      assert.deepEqual(await panel.page.$$eval('.detail > .frame-view .byte.hot', (b) => b.map((x) => (x as HTMLElement).dataset.offset)), ['4', '5']);
      // Byte → innermost field and its bytes
      await panel.page.locator('.detail > .frame-view .byte[data-offset="7"]').hover();
      assert.deepEqual(await panel.page.$$eval('.detail > .frame-view .field.hot > .field-line .field-name', (f) => f.map((x) => x.textContent)), ['Function code']);
      assert.deepEqual(await panel.page.$$eval('.detail > .frame-view .byte.hot', (b) => b.map((x) => (x as HTMLElement).dataset.offset)), ['7']);
      // Keyboard: the list moves the selection, the tree is navigable.
      await panel.page.locator('.list').focus();
      await panel.page.keyboard.press('ArrowDown');
      await until('selection moved', async () => (await panel.page.locator('.detail > .frame-view > .frame-heading').innerText()).includes('#42'));
      assert.equal(await panel.page.locator('.viewport .row.paired').getAttribute('data-id'), '41', 'its request is marked as the pair');
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: replay shows the new response beside the captured one; screenshots',
    async run(browser) {
      for (const theme of ['dark', 'light'] as const) {
        const { panel, stop } = await loaded(browser, theme);
        await panel.page.locator('.viewport .row[data-id="39"]').click();
        await panel.page.waitForSelector('.detail .field');
        await panel.page.locator('.replay').click();
        const request = await panel.nextRequest('capture.replay');
        assert.deepEqual(request.params, { frameId: 39 });
        const responseHex = tcp(0, 'rx', 30, '030400080009').hex;
        await panel.respond(request.id, {
          device: 'Demo',
          request: { frameId: 46, hex: tcp(0, 'tx', 30, '0300000002').hex, decoded: decodedFor(tcp(0, 'tx', 30, '0300000002').hex, 'request') },
          response: { frameId: 47, hex: responseHex, decoded: decodedFor(responseHex, 'response') },
          roundTripMs: 1.25,
        });
        await until('comparison', async () => (await panel.page.locator('.comparison').innerText()).includes('New response in 1.3 ms'));
        assert.match(await panel.page.locator('.comparison').innerText(), /Captured response #40/);
        await panel.page.mouse.move(5, 5);
        await panel.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', `frame-debugger-${theme}.png`) });
        await close(panel, stop);
      }
    },
  },
];

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
import type { TestCase } from './testCase';

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

const CLIENT_A = 'proxy://plc/127.0.0.1:50001';
const CLIENT_B = 'proxy://plc/127.0.0.1:50002';
/** When the proxied traffic starts, after the 43 frames above. */
const P0 = T0 + 5000;

function mbap(tid: number, pdu: string): string {
  return tid.toString(16).padStart(4, '0') + '0000' + (pdu.length / 2 + 1).toString(16).padStart(4, '0') + '01' + pdu;
}

function at(id: number, ms: number, direction: 'tx' | 'rx', link: string, tid: number, pdu: string, correlation?: string): CapturedFrame {
  const frame: CapturedFrame = { id, ts: P0 + ms, direction, link, device: 'Demo', unitId: 1, hex: mbap(tid, pdu) };
  if (correlation) frame.correlation = correlation;
  return frame;
}

/**
 * Two clients of proxy "plc" whose exchanges #12 and #13 interleave, both using
 * transaction id 7 on their own connections, as the gateway captures them: each
 * client's request (rx) and the reply to it (tx) on its proxy link, the request to
 * the device (tx) on the device's link, all three correlated; the device's reply
 * (rx) is not. Then #120, answered from the proxy's cache (no device legs).
 *
 * #12 hops: forwarded after 0.8 ms, device round trip 2.5 ms, reply to the client
 * 0.4 ms later, 3.7 ms in all.
 */
function proxied(): CapturedFrame[] {
  return [
    at(44, 0, 'rx', CLIENT_A, 7, '0300100002', 'proxy plc #12'),
    at(45, 0.3, 'rx', CLIENT_B, 7, '0300200001', 'proxy plc #13'),
    at(46, 0.8, 'tx', LINK, 30, '0300100002', 'proxy plc #12'),
    at(47, 1.0, 'tx', LINK, 31, '0300200001', 'proxy plc #13'),
    at(48, 3.3, 'rx', LINK, 30, '030400010002'),
    at(49, 3.6, 'rx', LINK, 31, '0302002a'),
    at(50, 3.7, 'tx', CLIENT_A, 7, '030400010002', 'proxy plc #12'),
    at(51, 3.9, 'tx', CLIENT_B, 7, '0302002a', 'proxy plc #13'),
    at(52, 10, 'rx', CLIENT_A, 8, '0300100002', 'proxy plc #120'),
    at(53, 10.2, 'tx', CLIENT_A, 8, '030400010002', 'proxy plc #120'),
  ];
}

/** Each painted row's exchange tag: its text, whether it is inherited (the device's reply), its tooltip. */
function tags(panel: WebviewPage): Promise<Record<string, { text: string; inherited: boolean; title: string } | undefined>> {
  return panel.page.evaluate(() => {
    const out: Record<string, { text: string; inherited: boolean; title: string } | undefined> = {};
    for (const row of document.querySelectorAll<HTMLElement>('.viewport .row:not([hidden])')) {
      const tag = row.querySelector<HTMLElement>('.xtag');
      out[row.dataset.id!] =
        tag && !tag.hidden ? { text: tag.textContent ?? '', inherited: tag.classList.contains('inherited'), title: tag.parentElement!.title } : undefined;
    }
    return out;
  });
}

/**
 * Selects frame `id` with a mousedown on its row, found and pressed in one step: a
 * virtualized row can be rebound to another frame between a locator's scroll and its click.
 */
async function pick(panel: WebviewPage, id: string): Promise<void> {
  await until(`row #${id} shown`, () => panel.page.evaluate((id) => document.querySelector(`.viewport .row[data-id="${id}"]:not([hidden])`) !== null, id));
  await panel.page.evaluate((id) => {
    document.querySelector(`.viewport .row[data-id="${id}"]:not([hidden]) .col-0`)!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  }, id);
  await until(`#${id} selected`, async () => (await ids(panel, '.viewport .row.selected')).join() === id).catch(async (error: Error) => {
    const rows = await panel.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.viewport .row')].map((r) => `${r.dataset.id}${r.hidden ? 'h' : ''}${r.classList.contains('selected') ? '*' : ''}@${r.style.transform}`));
    throw new Error(`${error.message}; rows: ${rows.join(' ')}`);
  });
}

function ids(panel: WebviewPage, selector: string): Promise<string[]> {
  return panel.page.$$eval(selector, (rows) => rows.map((r) => (r as HTMLElement).dataset.id!).sort((a, b) => Number(a) - Number(b)));
}

/** The exchange panel: its title, legs (role, frame, time, since first) and hops, as shown. */
function exchangePanel(panel: WebviewPage): Promise<{ hidden: boolean; title: string; legs: string[][]; current: string[]; hops: Record<string, string>; missing: string }> {
  return panel.page.evaluate(() => {
    const section = document.querySelector<HTMLElement>('.detail .exchange')!;
    const legs = [...section.querySelectorAll<HTMLTableRowElement>('.legs tbody tr')].map((tr) => [tr.dataset.role!, ...[...tr.cells].slice(1).map((c) => c.textContent ?? '')]);
    const current = [...section.querySelectorAll<HTMLElement>('.leg-select[aria-current="true"]')].map((b) => b.closest('tr')!.dataset.id!);
    const hops: Record<string, string> = {};
    for (const hop of section.querySelectorAll<HTMLElement>('.hop')) hops[hop.dataset.hop!] = hop.querySelector('dd')!.textContent ?? '';
    const missing = section.querySelector<HTMLElement>('.legs-missing')!;
    return {
      hidden: section.hidden === true,
      title: section.querySelector('.exchange-title')!.textContent ?? '',
      legs,
      current,
      hops,
      missing: missing.hidden ? '' : (missing.textContent ?? ''),
    };
  });
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
    name: "frame debugger: the status line says how many frames the ring dropped, and its tooltip whose; Record… asks the host",
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      await panel.notify('snapshot', { ...snapshot(), dropped: 10_456, droppedBy: { Demo: 10_000, Meter: 456 } });
      const counts = panel.page.locator('.status .counts');
      await until('the drops counted', async () => /10456 older dropped/.test(await counts.innerText()));
      assert.equal(await counts.getAttribute('title'), "Dropped by the gateway's ring to keep every device's share: Demo 10,000, Meter 456");

      // So that a long session keeps everything: Record… asks the host, which asks where.
      await panel.page.locator('vscode-button.record').click();
      const record = await panel.nextRequest('capture.record');
      await panel.respond(record.id, { path: '/tmp/session.pcapng' });
      await until('the recording said', async () => /Recording every frame to \/tmp\/session\.pcapng/.test(await panel.page.locator('.status').innerText()));
      await panel.page.locator('vscode-button.record').click();
      await panel.respondError((await panel.nextRequest('capture.record')).id, 'the gateway is not running');
      await until('the refusal said', async () => /Recording failed: the gateway is not running/.test(await panel.page.locator('.status').innerText()));
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: lists frames live, pairs requests with responses and their round trip, flags errors',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      assert.match(await status(panel), /^43 frames \(ring holds 10000\)/);
      // Decodes come back one by one: wait for every row the assertions read.
      const texts = await until('summaries from the decoder', async () => {
        const t = await rowTexts(panel);
        return ['41', '42', '43'].every((id) => /Read Holding|Exception/.test(t[id]?.[6] ?? '')) && t['43'][6].includes('Read Holding') ? t : undefined;
      });
      // The list follows the tail: the newest rows are in view.
      assert.deepEqual(texts['41'].slice(1, 6), ['→ req', 'Demo', '', '1', '3'], 'no exchange tag outside a proxy');
      assert.equal(texts['42'][5], '3 ⚠', 'exception reply: its function, flagged');
      assert.equal(texts['42'][7], '2.5 ms', 'paired by transaction id, round trip shown');
      assert.equal(texts['41'][7], '2.5 ms');
      assert.equal(texts['43'][7], '', 'a dropped late reply pairs with nothing');
      assert.match(texts['43'][6], /^no request waits for this transaction id \(late or duplicate\): dropped · Read Holding/, 'a noted frame keeps its reason beside its decode');
      const errors = await panel.page.$$eval('.viewport .row.error', (rows) => rows.map((r) => (r as HTMLElement).dataset.id).sort());
      assert.deepEqual(errors, ['42', '43']);

      await panel.notify('frames', { frames: [tcp(44, 'tx', 22, '0300000002'), tcp(45, 'rx', 22, '030400070008')] });
      await until('the new batch', async () => (await rowTexts(panel))['45']?.[7] === '2.5 ms');
      assert.match(await status(panel), /^45 frames/);
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: an unanswered request is an error, paired with its "no reply" marker; injected frames are marked',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      const marker = (id: number, ts: number, extra: Partial<CapturedFrame> = {}): CapturedFrame => ({
        id, ts, direction: 'rx', link: LINK, device: 'Demo', unitId: 1, hex: '', note: 'no reply within 1000 ms', ...extra,
      });
      // Request #44 (transaction 30) is never answered; the gateway's marker #45 says so when the timeout fires.
      // #46 is answered, but the simulator's fault injection delayed its reply (#47).
      await panel.notify('frames', {
        frames: [
          tcp(44, 'tx', 30, '0300000002'),
          marker(45, T0 + 30 * 100 + 1000),
          tcp(46, 'tx', 31, '0300000002'),
          tcp(47, 'rx', 31, '030400070008', { injected: 'delay 800 ms' }),
        ],
      });
      const texts = await until('the marker row', async () => {
        const t = await rowTexts(panel);
        return t['45'] && t['47'] ? t : undefined;
      });
      assert.equal(texts['45'][1], '← none', 'the marker is no response');
      assert.equal(texts['45'][6], 'no reply within 1000 ms');
      assert.equal(texts['45'][7], 'no reply');
      assert.equal(texts['44'][7], 'no reply', 'the request shows it was not answered, not "no reply yet"');
      assert.equal(texts['47'][6].startsWith('injected: delay 800 ms'), true, texts['47'][6]);
      assert.equal(texts['47'][7], '2.5 ms', 'an injected frame still pairs');
      const errors = await panel.page.$$eval('.viewport .row.error', (rows) => rows.map((r) => (r as HTMLElement).dataset.id).sort());
      assert.deepEqual(errors, ['42', '43', '44', '45'], 'the unanswered request and its marker are errors');
      const injected = await panel.page.$$eval('.viewport .row.injected', (rows) => rows.map((r) => (r as HTMLElement).dataset.id));
      assert.deepEqual(injected, ['47']);

      // "Errors only" counts them.
      await panel.page.locator('.filter-errors').click();
      await until('errors only', async () => (await status(panel)).startsWith('4 of 47'));
      await panel.page.locator('.filter-errors').click();
      // The status changes first, the rows on the next animation frame: a click before that lands
      // on a row of the short list, and the long one then opens at the top, far from #44.
      await until('every frame listed again, the tail painted', async () => (await status(panel)).startsWith('47 frames') && '47' in (await rowTexts(panel)));

      // Selecting the request marks its marker as its pair; the detail says no reply; the injected frame says so in the detail.
      await pick(panel, '44');
      await until('the pair marked', () => panel.page.evaluate(() => document.querySelector('.viewport .row[data-id="45"]')?.classList.contains('paired') === true));
      await until('the detail heading', async () => /#44 request to Demo — no reply within 1000 ms/.test(await panel.page.locator('.detail').innerText()));
      await pick(panel, '45');
      await until('the marker detail', async () => /#45 no reply from Demo to request #44: no reply within 1000 ms/.test(await panel.page.locator('.detail').innerText()));
      await pick(panel, '47');
      await until('the injected detail', async () => /fault injected by the simulator: delay 800 ms/.test(await panel.page.locator('.detail').innerText()));
      await close(panel, stop);
      // The same frames in both themes, the request selected, for the README.
      for (const theme of ['dark', 'light'] as const) {
        const shown = await loaded(browser, theme);
        await shown.panel.notify('frames', { frames: [tcp(44, 'tx', 30, '0300000002'), marker(45, T0 + 30 * 100 + 1000), tcp(46, 'tx', 31, '0300000002'), tcp(47, 'rx', 31, '030400070008', { injected: 'delay 800 ms' })] });
        await pick(shown.panel, '44');
        await until('the marker paired', () => shown.panel.page.evaluate(() => document.querySelector('.viewport .row[data-id="45"]')?.classList.contains('paired')));
        await until('summaries', async () => (await rowTexts(shown.panel))['46']?.[6]?.includes('Read Holding'));
        await shown.panel.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', `frameDebugger-no-reply-${theme}.png`) });
        await close(shown.panel, shown.stop);
      }
    },
  },
  {
    name: 'frame debugger: on TCP without a marker, a request passed by a later answered one shows as not answered, until its reply comes',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      // #60 (transaction 40) waits; #61 (41) is answered by #62: #60 was given up on. Then #63 answers 40 after all.
      await panel.notify('frames', { frames: [tcp(60, 'tx', 40, '0300000002'), tcp(61, 'tx', 41, '0300000002'), tcp(62, 'rx', 41, '030400070008')] });
      const texts = await until('the answered request', async () => {
        const t = await rowTexts(panel);
        return t['62'] ? t : undefined;
      });
      assert.equal(texts['60'][7], 'no reply');
      assert.equal(texts['61'][7], '2.5 ms');
      assert.deepEqual((await panel.page.$$eval('.viewport .row.error', (rows) => rows.map((r) => (r as HTMLElement).dataset.id))).filter((id) => Number(id) >= 60), ['60']);
      await panel.notify('frames', { frames: [tcp(63, 'rx', 40, '030400070008')] });
      await until('the late reply paired', async () => (await rowTexts(panel))['60']?.[7] === '2.5 ms');
      assert.deepEqual((await panel.page.$$eval('.viewport .row.error', (rows) => rows.map((r) => (r as HTMLElement).dataset.id))).filter((id) => Number(id) >= 60), [], 'answered after all: no error');
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: a reply under a wrong transaction id pairs with the request it failed, which says why instead of "no reply"',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      const note = 'the device answered the one request in flight (transaction id 50) with transaction id 32818';
      // #70 (transaction 50) is answered under 0x8032; the gateway took it for 50 and failed the request. #71/#72 are a good pair after it.
      await panel.notify('frames', {
        frames: [tcp(70, 'tx', 50, '0300000002'), tcp(71, 'rx', 0x8032, '030400070008', { note, answers: 50 }), tcp(72, 'tx', 51, '0300000002'), tcp(73, 'rx', 51, '030400070008')],
      });
      const texts = await until('the rows', async () => {
        const t = await rowTexts(panel);
        return t['73']?.[7] === '2.5 ms' ? t : undefined;
      });
      assert.notEqual(texts['70'][7], 'no reply', 'the request got a reply, under the wrong id');
      assert.match(texts['71'][6], /^the device answered the one request in flight/);
      await panel.page.locator('.viewport .row[data-id="70"]').click();
      await until('the wrong-id reply marked as its pair', async () => (await panel.page.locator('.viewport .row.paired').getAttribute('data-id')) === '71');
      const errors = await panel.page.$$eval('.viewport .row.error', (rows) => rows.map((r) => (r as HTMLElement).dataset.id).filter((id) => Number(id) >= 70));
      assert.deepEqual(errors.sort(), ['70', '71'], 'both the failed request and the reply are errors; the next pair is not');
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: on a serial bus, a request still waiting when the next goes out was not answered',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      const rtu = (id: number, direction: 'tx' | 'rx', hex: string): CapturedFrame => ({ id, ts: T0 + 10_000 + id * 100, direction, link: 'rtu:///dev/ttyUSB0', device: 'Meter', unitId: 2, hex });
      // #50 goes unanswered (an older gateway sends no marker); #51 is answered by #52.
      await panel.notify('frames', { frames: [rtu(50, 'tx', '020300000001840a'), rtu(51, 'tx', '020300000001840a'), rtu(52, 'rx', '02030200074435')] });
      const texts = await until('the serial rows', async () => {
        const t = await rowTexts(panel);
        return t['52'] ? t : undefined;
      });
      assert.equal(texts['50'][7], 'no reply');
      assert.match(texts['50'][6], /no reply \(the next request went out first\)/);
      assert.notEqual(texts['51'][7], 'no reply');
      assert.match(texts['51'][7], / ms$/, 'the answered request pairs with its reply');
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
        const codes = Object.values(await rowTexts(panel)).map((t) => t[5]);
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
      await until('resumed rows', async () => (await rowTexts(panel))['45']?.[7] === '2.5 ms');
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
      // The list repaints on the next animation frame, after the heading: the pair marked must become the request.
      await until('its request (#41) marked as the pair', async () => (await panel.page.locator('.viewport .row.paired').getAttribute('data-id')) === '41');
      assert.equal(await panel.page.locator('.viewport .row.paired').count(), 1, 'only its request is marked as the pair');
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
  {
    name: 'frame debugger: a proxy exchange is tagged on its rows, selecting any leg marks all four, the detail lists legs and hop times',
    async run(browser) {
      for (const theme of ['dark', 'light'] as const) {
        const { panel, stop } = await loaded(browser, theme);
        await panel.notify('frames', { frames: proxied() });
        // Decoding, pairing and tagging land in separate repaints: wait for the last of each
        // (every proxied frame decoded, round trips on the requests, tags on all seven legs).
        const { texts, tagged } = await until('the proxied frames decoded, paired and tagged', async () => {
          const t = await rowTexts(panel);
          const decoded = ['44', '45', '46', '47', '48', '49', '50', '51', '53'].every((id) => /Read Holding/.test(t[id]?.[6] ?? ''));
          const paired = ['44', '45', '48'].every((id) => /ms$/.test(t[id]?.[7] ?? ''));
          if (!decoded || !paired) return undefined;
          const g = await tags(panel);
          return ['44', '45', '46', '47', '48', '49', '50', '51'].every((id) => g[id]) ? { texts: t, tagged: g } : undefined;
        });

        // The three frames the proxy marked carry the tag; the device's reply shows it as inherited.
        for (const id of ['44', '46', '50']) assert.deepEqual(tagged[id], { text: 'plc #12', inherited: false, title: 'proxy plc #12' }, `frame ${id}`);
        for (const id of ['45', '47', '51']) assert.deepEqual(tagged[id], { text: 'plc #13', inherited: false, title: 'proxy plc #13' }, `frame ${id}`);
        assert.equal(tagged['48']?.text, 'plc #12');
        assert.equal(tagged['48']?.inherited, true, 'the device reply is in #12 only through its request');
        assert.match(tagged['48']!.title, /proxy plc #12 .*#46/);
        assert.equal(tagged['49']?.text, 'plc #13');
        assert.equal(tagged['41'], undefined, 'a frame outside any proxy has no tag');

        // Each leg says what it is: the client's request arrives, the reply to it leaves.
        assert.deepEqual(texts['44'].slice(1, 3), ['← req', 'client 127.0.0.1:50001']);
        assert.deepEqual(texts['50'].slice(1, 3), ['→ resp', 'client 127.0.0.1:50001']);
        assert.deepEqual(texts['46'].slice(1, 3), ['→ req', 'Demo']);
        assert.deepEqual(texts['48'].slice(1, 3), ['← resp', 'Demo']);
        assert.equal(texts['48'][7], '2.5 ms', 'device reply paired with the device request by transaction id');
        assert.equal(texts['44'][7], '3.7 ms', 'client request paired with the reply on its own connection, not the other client’s');
        assert.equal(texts['45'][7], '3.6 ms');
        // The page decoded the client's request as a Modbus/TCP request.
        const decodes = (await panel.sent()).filter((m) => m.method === 'frames.decode').map((m) => m.params as { hex: string; framing: string; direction: string });
        assert.deepEqual(
          decodes.find((p) => p.hex === proxied()[0].hex),
          { hex: proxied()[0].hex, framing: 'tcp', direction: 'request' },
        );

        // A correlation is not an error: no error class, and neither tag nor summary in the error colour.
        const errors = await ids(panel, '.viewport .row.error');
        assert.deepEqual(errors.filter((id) => Number(id) >= 44), [], 'no proxied frame is styled as an error');
        const colours = await panel.page.evaluate(() => {
          const row = document.querySelector('.viewport .row[data-id="44"]')!;
          const error = getComputedStyle(document.querySelector('.viewport .row[data-id="42"] .col-6')!).color;
          return { error, tag: getComputedStyle(row.querySelector('.xtag')!).color, summary: getComputedStyle(row.querySelector('.col-6')!).color };
        });
        assert.notEqual(colours.tag, colours.error);
        assert.notEqual(colours.summary, colours.error);

        // Selecting any leg marks exactly the four legs of its exchange, none of the interleaved one.
        for (const id of ['50', '48', '44', '46']) {
          await panel.page.locator(`.viewport .row[data-id="${id}"]`).click();
          // The legs are the same from every leg: wait for this click's selection, not the last one's legs.
          await until(`#${id} selected`, async () => (await ids(panel, '.viewport .row.selected')).join() === id);
          await until(`legs of #12 marked from ${id}`, async () => (await ids(panel, '.viewport .row.leg')).join() === '44,46,48,50');
          assert.deepEqual(await ids(panel, '.viewport .row.selected'), [id]);
        }
        await panel.page.locator('.viewport .row[data-id="49"]').click();
        await until('legs of #13 marked', async () => (await ids(panel, '.viewport .row.leg')).join() === '45,47,49,51');

        // The detail pane: the legs in order with their times, and each hop.
        await panel.page.locator('.viewport .row[data-id="48"]').click();
        const shown = await until('the exchange in the detail pane', async () => {
          const e = await exchangePanel(panel);
          return e.title.includes('#12') && e.current[0] === '48' ? e : undefined;
        });
        assert.equal(shown.hidden, false);
        assert.equal(shown.title, 'Proxy exchange proxy plc #12');
        const time = (ms: number) => new Date(P0 + ms).toTimeString().slice(0, 8) + '.' + String(Math.floor(ms) % 1000).padStart(3, '0');
        assert.deepEqual(shown.legs, [
          ['client request', '#44', time(0), '+0.00 ms'],
          ['device request', '#46', time(0.8), '+0.80 ms'],
          ['device reply', '#48', time(3.3), '+3.30 ms'],
          ['client reply', '#50', time(3.7), '+3.70 ms'],
        ]);
        assert.deepEqual(shown.hops, { forward: '0.80 ms', device: '2.50 ms', return: '0.40 ms', total: '3.70 ms' });
        assert.equal(shown.missing, '');

        // Keyboard: a leg is a button; Enter selects its frame and the focus stays on it.
        await panel.page.locator('.exchange tr[data-id="44"] .leg-select').focus();
        await panel.page.keyboard.press('Enter');
        await until('the client request selected', async () =>
          (await panel.page.locator('.detail > .frame-view > .frame-heading').innerText()).startsWith('#44 request from client 127.0.0.1:50001 of proxy plc'),
        );
        assert.deepEqual((await exchangePanel(panel)).current, ['44']);
        assert.equal(await panel.page.evaluate(() => document.activeElement?.closest('tr')?.dataset.id), '44');
        assert.equal(await panel.page.locator('.replay').getAttribute('disabled'), '', 'a client’s request is not replayed as the gateway’s');

        // A frame outside any proxy hides the panel.
        await panel.page.locator('.viewport .row[data-id="41"]').click();
        await until('no exchange', async () => (await exchangePanel(panel)).hidden);
        // The panel hides at once, the list on its next animation frame.
        await until('no leg marked', async () => (await ids(panel, '.viewport .row.leg')).length === 0);
        assert.deepEqual(await ids(panel, '.viewport .row.selected'), ['41']);

        await panel.page.locator('.viewport .row[data-id="50"]').click();
        await until('exchange again', async () => !(await exchangePanel(panel)).hidden);
        await panel.page.mouse.move(5, 5);
        await panel.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', `frame-debugger-proxy-${theme}.png`) });
        assert.deepEqual(await panel.page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), []);
        await close(panel, stop);
      }
    },
  },
  {
    name: 'frame debugger: the filter finds a proxy exchange by its correlation; Show only this exchange',
    async run(browser) {
      const { panel, stop } = await loaded(browser);
      await panel.notify('frames', { frames: proxied() });
      await until('proxied frames', async () => (await status(panel)).startsWith('53 frames'));
      const filter = panel.page.locator('.filter-text input');

      await filter.fill('#12');
      await until('#12 only, not #120', async () => (await status(panel)).startsWith('4 of 53'));
      await until('its legs painted', async () => Object.keys(await rowTexts(panel)).join() === '44,46,48,50');
      await filter.fill('proxy plc');
      await until('every proxied frame', async () => (await status(panel)).startsWith('10 of 53'));
      await filter.fill('PLC #13');
      await until('#13, any case', async () => (await status(panel)).startsWith('4 of 53'));
      await until('its legs painted', async () => Object.keys(await rowTexts(panel)).join() === '45,47,49,51');
      await filter.fill('');
      await until('all', async () => (await status(panel)).startsWith('53 frames'));

      // Other filters on that would hide legs; the button turns them off.
      await setDropdown(panel, 'vscode-dropdown[aria-label="Filter by direction"]', 'tx');
      await until('requests only', async () => (await status(panel)).startsWith('26 of 53'));
      // By role, not by tx/rx: a proxy client's request (rx) is a request, our reply to it (tx) is not.
      await until('client request 44 shown, client reply 50 hidden', async () => {
        const shown = Object.keys(await rowTexts(panel)).map(Number);
        return shown.includes(44) && !shown.includes(50);
      });
      await panel.page.locator('.viewport .row[data-id="47"]').click();
      await until('exchange #13 shown', async () => (await exchangePanel(panel)).title.endsWith('#13'));
      const toggle = panel.page.locator('.exchange-filter');
      assert.equal((await toggle.innerText()).trim(), 'Show only this exchange');
      await toggle.click();
      await until('only #13', async () => (await status(panel)).startsWith('4 of 53'));
      await until('its legs painted', async () => Object.keys(await rowTexts(panel)).join() === '45,47,49,51');
      assert.equal(await panel.page.evaluate(() => (document.querySelector('.filter-text') as HTMLElement & { value: string }).value), 'proxy plc #13');
      assert.equal(await panel.page.evaluate(() => (document.querySelector('vscode-dropdown[aria-label="Filter by direction"]') as HTMLElement & { value: string }).value), '');
      const saved = (await panel.state()) as { filter: { text: string; direction: string } };
      assert.equal(saved.filter.text, 'proxy plc #13', 'the filter is saved like a typed one');
      assert.equal(saved.filter.direction, '');
      await until('the toggle says how back', async () => (await toggle.innerText()).trim() === 'Show all frames');
      await toggle.click();
      await until('all again', async () => (await status(panel)).startsWith('53 frames'));
      assert.equal(await panel.page.evaluate(() => (document.querySelector('.filter-text') as HTMLElement & { value: string }).value), '');
      await close(panel, stop);
    },
  },
  {
    name: 'frame debugger: legs of a proxy exchange that left the ring are absent, the rest still shown',
    async run(browser) {
      const panel = await openPanel(browser, { bundle: 'frameDebugger', height: 760 });
      const stop = autoDecode(panel);
      // A ring of 4 keeps #12's device reply and client reply, not its two requests.
      await panel.notify('snapshot', { frames: proxied().slice(0, 8), capacity: 4, dropped: 0, devices: ['Demo'] });
      await until('four rows', async () => Object.keys(await rowTexts(panel)).join() === '48,49,50,51');
      await panel.page.locator('.viewport .row[data-id="50"]').click();
      await until('legs still here', async () => (await ids(panel, '.viewport .row.leg')).join() === '48,50');
      let shown = await until('the partial exchange', async () => {
        const e = await exchangePanel(panel);
        return e.legs.length === 2 ? e : undefined;
      });
      assert.deepEqual(shown.legs.map((l) => l.slice(0, 2)), [['device reply', '#48'], ['client reply', '#50']]);
      assert.deepEqual(shown.hops, { return: '0.40 ms' }, 'only the hop whose two ends are here');
      assert.equal(shown.missing, 'Not in the list: client request, device request.');

      // Two more frames push the device reply out while the exchange is shown.
      await panel.notify('frames', { frames: proxied().slice(8) });
      shown = await until('the exchange without the evicted leg', async () => {
        const e = await exchangePanel(panel);
        return e.legs.length === 1 ? e : undefined;
      });
      assert.deepEqual(shown.legs.map((l) => l.slice(0, 2)), [['client reply', '#50']]);
      assert.deepEqual(shown.hops, {});
      assert.deepEqual(await panel.page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), []);
      await close(panel, stop);
    },
  },
];

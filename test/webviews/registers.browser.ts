// The Registers page in Chromium with a fake VS Code API: a snapshot and live reads,
// a float32 CDAB laid over two rows, the exception on the refused rows only, changed
// values flagged, keyboard selection and Ctrl+C as TSV, a write's frame preview before
// anything is sent, CSP; screenshots in both themes. And the Frame Debugger's Send box:
// the completed frame shown before sending, a read reply as a register table, the Send
// row in view with a frame selected.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CapturedFrame } from '../../gateway/api/capture';
import type { RangeChunk } from '../../gateway/api/registers';
import { decodeFrame } from '../../gateway/protocol/decoder';
import type { RegistersSnapshot } from '../../webviews/registers/protocol';
import { openPanel, REPO_ROOT, until, type WebviewPage } from './harness';
import type { TestCase } from './testCase';

const TS = Date.UTC(2026, 0, 15, 9, 30, 0);

function chunks(values: number[], start = 0): RangeChunk[] {
  return [
    { start, count: 16, ts: TS, values: values.slice(0, 16) },
    { start: start + 16, count: 4, ts: TS, error: 'meter: unit 1 refused read holding registers 16–19: exception 02 (illegal data address)', exceptionCode: 2 },
  ];
}

const VALUES = [1234, 0x199a, 0x4366, 0xfffe, 0x4142, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

function snapshot(): RegistersSnapshot {
  return {
    title: 'Registers: meter HR:0 ×20',
    label: 'meter',
    addressBase: 0,
    range: { table: 'holdingRegister', start: 0, count: 20, pollMs: 1000 },
    formats: [{ offset: 1, format: { kind: 'float32', order: 'CDAB' } }, { offset: 3, format: { kind: 'signed', order: 'ABCD' } }, { offset: 4, format: { kind: 'ascii', order: 'ABCD' } }],
    chunks: chunks(VALUES),
  };
}

async function loaded(theme: 'dark' | 'light', browser: Parameters<TestCase['run']>[0]): Promise<WebviewPage> {
  const panel = await openPanel(browser, { bundle: 'registers', theme, height: 620 });
  await panel.notify('snapshot', snapshot());
  await panel.page.waitForSelector('.register-grid .viewport .row:not([hidden])');
  return panel;
}

function value(panel: WebviewPage, address: string): Promise<string> {
  return panel.page.locator(`.register-grid .row:not([hidden]):has(.cell.address:text-is("${address}")) .cell.value`).innerText();
}

export const registersTests: TestCase[] = [
  {
    name: 'registers page: formats over rows, exceptions on refused rows only, changes flagged, Ctrl+C as TSV, write preview; screenshots',
    async run(browser) {
      for (const theme of ['dark', 'light'] as const) {
        const panel = await loaded(theme, browser);
        assert.equal(await value(panel, 'HR:0'), '1234');
        assert.equal(await value(panel, 'HR:1'), '230.1');
        assert.equal(await value(panel, 'HR:2'), '↳');
        assert.equal(await value(panel, 'HR:3'), '-2');
        assert.equal(await value(panel, 'HR:4'), '"AB"');
        assert.match(await value(panel, 'HR:16'), /exception 02 \(illegal data address\)/);
        assert.equal(await value(panel, 'HR:15'), '17');

        // A live read where HR:5 changed: the row is flagged, the others not.
        const next = [...VALUES];
        next[5] = 99;
        await panel.notify('values', { range: snapshot().range, chunks: chunks(next) });
        await until('HR:5 changed', async () => (await value(panel, 'HR:5')) === '99');
        assert.equal(await panel.page.locator('.register-grid .row.changed').count(), 1);
        assert.equal(await panel.page.locator('.status').innerText(), '20 rows, every 1 s; 4 refused by the device (see the rows).');

        // Keyboard: focus the grid, Down ×1, Shift+Down ×3, Ctrl+C → the host is asked to copy TSV.
        await panel.page.locator('.register-grid').focus();
        await panel.page.keyboard.press('ArrowDown');
        for (let i = 0; i < 3; i++) await panel.page.keyboard.press('Shift+ArrowDown');
        await panel.page.keyboard.press('Control+c');
        const copy = await panel.nextRequest('clipboard.copy');
        assert.equal((copy.params as { text: string }).text, 'address\tvalue\tformat\nHR:1\t230.1\tfloat32 CDAB\nHR:3\t-2\tsigned\nHR:4\t"AB"\tascii\n');
        await panel.respond(copy.id, {});

        // Enter on HR:1 opens the write for the whole float; the preview is asked, nothing is sent yet.
        await panel.page.keyboard.press('ArrowUp');
        await panel.page.keyboard.press('ArrowUp');
        await panel.page.keyboard.press('ArrowUp');
        await panel.page.keyboard.press('Enter');
        assert.match(await panel.page.locator('.write-pane h2').innerText(), /Write HR:1 \(float32 CDAB\)/);
        await panel.page.locator('.write-pane vscode-text-field input').fill('231.5');
        await panel.page.locator('.write-pane vscode-button', { hasText: 'Preview frame' }).click();
        const preview = await panel.nextRequest('write.preview');
        assert.deepEqual(preview.params, { offset: 1, format: { kind: 'float32', order: 'CDAB' }, text: '231.5' });
        await panel.respond(preview.id, { frameHex: '10 00 01 00 02 04 80 00 43 67', summary: 'write multiple registers HR:1–2: float32 CDAB 231.5 → 0x8000 0x4367' });
        await until('confirm step', async () => (await panel.page.locator('.write-pane').getAttribute('data-step')) === 'confirm');
        assert.equal((await panel.sent()).filter((m) => m.method === 'write.commit').length, 0, 'nothing is written before Confirm');

        await panel.page.mouse.move(5, 5);
        await panel.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', `registers-${theme}.png`) });
        assert.deepEqual(await panel.violations(), [], 'no CSP violations');
        await panel.page.context().close();
      }
    },
  },
  {
    name: 'registers page: rows a device did not answer are "not read", not "refused by the device"',
    async run(browser) {
      const panel = await loaded('dark', browser);
      const silent = 'tcp://127.0.0.1:5020 #3: no reply from unit 3 within 1000 ms';
      await panel.notify('values', {
        range: snapshot().range,
        chunks: [{ start: 0, count: 16, ts: TS, error: silent }, chunks(VALUES)[1]],
      });
      await until('the silent rows', async () => /no reply from unit 3/.test(await value(panel, 'HR:0')));
      assert.equal(await panel.page.locator('.status').innerText(), '20 rows, every 1 s; 4 refused by the device, 16 not read (see the rows).');
      await panel.page.context().close();
    },
  },
  {
    name: 'registers page: a start address and count are checked before the host is asked; Modicon numbers pick their table',
    async run(browser) {
      const panel = await loaded('dark', browser);
      const start = panel.page.locator('vscode-text-field.start-field input');
      const count = panel.page.locator('vscode-text-field.count-field input');
      await start.fill('HR:1x');
      await start.press('Enter');
      await until('an address error', async () => /cannot read address "HR:1x"/.test(await panel.page.locator('.status').innerText()));
      // The next poll's values arrive: the error stays until the user acts again.
      await panel.notify('values', { range: snapshot().range, chunks: chunks(VALUES) });
      await panel.notify('values', { range: snapshot().range, chunks: chunks(VALUES) });
      await until('both polls applied', () => panel.page.evaluate(() => new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(true)))));
      assert.match(await panel.page.locator('.status').innerText(), /cannot read address "HR:1x"/, 'a poll does not wipe the error');
      await start.fill('30001');
      await count.fill('70000');
      await count.press('Enter');
      await until('a count error', async () => /run past the last address/.test(await panel.page.locator('.status').innerText()));
      await start.fill('HR:65535');
      await count.fill('10');
      await count.press('Enter');
      await until('the start it names is the one typed', async () =>
        /^10 rows from HR:65535 run past the last address \(65535\): at most 1$/.test(await panel.page.locator('.status').innerText()),
      );
      await start.fill('30001');
      await count.fill('0');
      await count.press('Enter');
      await until('a zero count refused', async () => /count "0": enter a whole number of rows, 1 or more/.test(await panel.page.locator('.status').innerText()));
      // The next poll's values do not wipe the complaint while the field still shows what was refused.
      const before = (await panel.sent()).filter((m) => m.method === 'range.set').length;
      await panel.notify('values', { range: snapshot().range, chunks: chunks([4321, ...VALUES.slice(1)]) });
      await until('the values painted', async () => (await value(panel, 'HR:0')) === '4321');
      assert.match(await panel.page.locator('.status').innerText(), /count "0": enter a whole number of rows/);
      assert.equal((await panel.sent()).filter((m) => m.method === 'range.set').length, before, 'nothing asked of the host');
      await count.fill('8');
      await count.press('Enter');
      await until('range.set', async () => (await panel.sent()).some((m) => m.method === 'range.set'));
      const set = (await panel.sent()).filter((m) => m.method === 'range.set').at(-1);
      assert.deepEqual(set?.params, { table: 'inputRegister', start: 0, count: 8, pollMs: 1000 });
      assert.deepEqual(await panel.violations(), []);
      await panel.page.context().close();
    },
  },
  {
    name: 'frame debugger send box: the completed frame before sending, a read reply as a register table, the Send row in view with a frame selected',
    async run(browser) {
      const panel = await openPanel(browser, { bundle: 'frameDebugger', theme: 'dark', height: 700 });
      const frames: CapturedFrame[] = [];
      for (let i = 0; i < 30; i++) {
        const tid = (i + 1).toString(16).padStart(4, '0');
        frames.push({ id: 2 * i + 1, ts: TS + i * 100, direction: 'tx', link: 'tcp://127.0.0.1:5020', device: 'Demo', unitId: 1, hex: `${tid}0000000601030000000a` });
        frames.push({ id: 2 * i + 2, ts: TS + i * 100 + 2, direction: 'rx', link: 'tcp://127.0.0.1:5020', device: 'Demo', unitId: 1, hex: `${tid}00000007010304000100020003`.slice(0, 26) });
      }
      let decoding = true;
      void (async () => {
        const answered = new Set<number>();
        while (decoding) {
          for (const m of await panel.sent().catch(() => [])) {
            if (m.kind !== 'request' || m.method !== 'frames.decode' || answered.has(m.id!)) continue;
            answered.add(m.id!);
            const p = m.params as { hex: string; direction: 'request' | 'response' };
            await panel.respond(m.id!, decodeFrame(Buffer.from(p.hex, 'hex'), { framing: 'tcp', direction: p.direction })).catch(() => undefined);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await panel.notify('snapshot', { frames, capacity: 10_000, dropped: 0, devices: ['Demo'] });
      await panel.page.locator('.viewport .row[data-id="59"]').click();
      await panel.page.waitForSelector('.detail .field');
      const box = await panel.page.locator('body > .send').boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 700, `the Send row is out of view: ${JSON.stringify(box)}`);
      // Nothing was sent yet: no reply section, and no format controls with nothing to format.
      assert.equal(await panel.page.locator('.send-section').isVisible(), false, 'the reply section waits for a send');
      assert.equal(await panel.page.locator('.send-table-controls').isVisible(), false, 'format controls wait for a read reply');

      const hex = panel.page.locator('.send vscode-text-field.send-hex input');
      await hex.fill('01 03 00 0A 00 02');
      let prepare = await panel.nextRequest('capture.prepare');
      while ((prepare.params as { hex: string }).hex !== '01 03 00 0A 00 02') prepare = await panel.nextRequest('capture.prepare');
      assert.deepEqual(prepare.params, { device: 'Demo', hex: '01 03 00 0A 00 02' });
      const whole = '000100000006010300' + '0a0002';
      await panel.respond(prepare.id, { hex: whole, form: 'unit+pdu', note: 'unit 1 + PDU: the MBAP header added', decoded: decodeFrame(Buffer.from(whole, 'hex'), { framing: 'tcp', direction: 'request' }) });
      await until('the completed frame', async () => /Will send 00 01 00 00 00 06 01 03 00 0A 00 02 — unit 1 \+ PDU: the MBAP header added/.test(await panel.page.locator('.send-preview').innerText()));

      await hex.press('Enter');
      const send = await panel.nextRequest('capture.send');
      const reply = '0001000000070103044049' + '0fdb';
      await panel.respond(send.id, {
        device: 'Demo',
        request: { hex: whole, decoded: decodeFrame(Buffer.from(whole, 'hex'), { framing: 'tcp', direction: 'request' }) },
        response: { hex: reply, decoded: decodeFrame(Buffer.from(reply, 'hex'), { framing: 'tcp', direction: 'response' }) },
        roundTripMs: 1.5,
        read: { table: 'holdingRegister', start: 10, values: [0x4049, 0x0fdb] },
      });
      const table = panel.page.locator('table.send-registers');
      await until('the register table', async () => (await table.locator('tbody tr').count()) === 2);
      assert.deepEqual(await table.locator('tbody tr').first().locator('td').allInnerTexts(), ['HR:10', '16457', '0x4049']);
      await panel.page.locator('.send-table-controls vscode-dropdown').first().click();
      await panel.page.locator('.send-table-controls vscode-option', { hasText: 'float32' }).click();
      await until('float32', async () => (await table.locator('tbody tr').first().locator('td').nth(1).innerText()) === '3.1415927');
      await panel.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'frame-debugger-send-dark.png') });
      decoding = false;
      assert.deepEqual(await panel.violations(), []);
      await panel.page.context().close();
    },
  },
];

// Tests of the webviews' pure modules and the host's pure helpers, run in Node.
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, renderWebviewHtml } from '../../extension/ui/html';
import { TagValueBatcher } from '../../gateway/api/tagValueBatcher';
import { spacedHex } from '../../extension/ui/writeResults';
import { entriesFromArguments } from '../../extension/tagWatch/tagWatchEntries';
import type { TagReadTick, TagValue } from '../../gateway/api';
import { decodeText, WORD_ORDERS } from '../../gateway/api/codec/registerCodec';
import { decodeAs, decodeBlock, parseRegisters } from '../../webviews/shared/decodeAs';
import { binaryWord, formatTagValue } from '../../webviews/shared/format';
import type { TestCase } from './testCase';

const PI = [0x4049, 0x0fdb];

export const pureTests: TestCase[] = [
  {
    name: 'decodeAs: π 0x4049 0x0FDB is float32 ABCD, and every order reads its own bytes',
    run() {
      assert.equal(decodeAs('float32', 'ABCD', PI), '3.1415927');
      // The demo's π in the other orders, as the simulator lays them out (wire registers).
      assert.equal(decodeAs('float32', 'CDAB', [0x0fdb, 0x4049]), '3.1415927');
      assert.equal(decodeAs('float32', 'BADC', [0x4940, 0xdb0f]), '3.1415927');
      assert.equal(decodeAs('float32', 'DCBA', [0xdb0f, 0x4940]), '3.1415927');
      assert.equal(decodeAs('uint32', 'ABCD', PI), '1078530011');
      assert.equal(decodeAs('uint32', 'CDAB', PI), String(0x0fdb4049));
      assert.equal(decodeAs('int16', 'ABCD', [0xfb2e]), '-1234');
      assert.equal(decodeAs('uint16', 'BADC', [0x1234]), String(0x3412));
      assert.equal(decodeAs('float64', 'ABCD', [0x4009, 0x21fb, 0x5444, 0x2d18]), String(Math.PI));
      assert.equal(decodeAs('float64', 'CDAB', [0x2d18, 0x5444, 0x21fb, 0x4009]), String(Math.PI));
      assert.equal(decodeAs('uint64', 'ABCD', [0xffff, 0xffff, 0xffff, 0xffff]), '18446744073709551615');
      assert.equal(decodeAs('int64', 'ABCD', [0xffff, 0xffff, 0xffff, 0xfffe]), '-2');
      assert.equal(decodeAs('int32', 'ABCD', [0x0000]), undefined, 'too short for the type');
      assert.equal(decodeAs('string', 'ABCD', [0x4869, 0x2100]), '"Hi!"');
      assert.equal(decodeAs('string', 'BADC', [0x6948]), '"Hi"');
      const block = decodeBlock(PI);
      assert.equal(block.find((r) => r.type === 'float32')?.values.ABCD, '3.1415927');
      assert.equal(block.find((r) => r.type === 'float64')?.values.ABCD, undefined);
    },
  },
  {
    name: 'decodeAs: the string row reads what a string tag reads in each order (no order reverses the registers)',
    run() {
      // "Hi!" on the wire, high byte first, and the same text with its bytes swapped in each register.
      const hi = [0x4869, 0x2100];
      const swapped = [0x6948, 0x0021];
      assert.equal(decodeAs('string', 'ABCD', hi), '"Hi!"');
      assert.equal(decodeAs('string', 'CDAB', hi), '"Hi!"', 'CDAB reads the registers in order, like the gateway');
      assert.equal(decodeAs('string', 'BADC', swapped), '"Hi!"');
      assert.equal(decodeAs('string', 'DCBA', swapped), '"Hi!"', 'DCBA only swaps the bytes in each register');
      // Trailing spaces and NULs are padding; an inner NUL does not end the text.
      assert.equal(decodeAs('string', 'ABCD', [0x4f4b, 0x2020, 0x0000]), '"OK"');
      assert.equal(decodeAs('string', 'ABCD', [0x4100, 0x4200]), '"A\\u0000B"');
      assert.equal(decodeAs('string', 'ABCD', [0x4180]), '"A\\u0080"', 'a C1 control is shown escaped, not invisible');
      assert.equal(decodeAs('string', 'ABCD', []), undefined);
      // Every order, against the gateway's own rule.
      const registers = [0x5345, 0x4e53, 0x4f52, 0x2031, 0x0000];
      for (const order of WORD_ORDERS) assert.equal(decodeAs('string', order, registers), JSON.stringify(decodeText(registers, order)), order);
      assert.equal(decodeBlock(registers).find((r) => r.type === 'string')?.values.CDAB, '"SENSOR 1"');
    },
  },
  {
    name: 'decodeAs: parseRegisters reads hex words and #decimal, and refuses the rest',
    run() {
      assert.deepEqual(parseRegisters('4049 0FDB'), { ok: true, registers: PI });
      assert.deepEqual(parseRegisters('0x4049,0x0fdb'), { ok: true, registers: PI });
      assert.deepEqual(parseRegisters('#16457 #4059'), { ok: true, registers: PI });
      assert.equal(parseRegisters('12345').ok, false);
      assert.equal(parseRegisters('#70000').ok, false);
      assert.equal(parseRegisters('  ').ok, false);
    },
  },
  {
    name: 'format: hex and binary show the raw registers, decimal the value',
    run() {
      const value: TagValue = { device: 'D', tag: 'pi', value: 3.1415927, raw: PI, quality: 'good', ts: 0 };
      assert.equal(formatTagValue(value, 'decimal', false), '3.1415927');
      assert.equal(formatTagValue(value, 'hex', false), '0x4049 0x0FDB');
      assert.equal(formatTagValue(value, 'binary', false), '01000000 01001001 | 00001111 11011011');
      assert.equal(formatTagValue({ ...value, value: true, raw: [1] }, 'hex', true), '1');
      assert.equal(binaryWord(0x8001), '10000000 00000001');
    },
  },
  {
    name: 'html: the CSP allows only the nonce script and the webview origin, nothing inline',
    run() {
      const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'nonce-abc'/);
      assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net 'nonce-abc'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      const html = renderWebviewHtml({ cspSource: 'https://x', nonce: 'abc', title: '<Demo>', scriptUri: 'https://x/a.js', styleUri: 'https://x/a.css' });
      assert.match(html, /<script nonce="abc" src="https:\/\/x\/a.js"><\/script>/);
      assert.match(html, /<title>&#60;Demo&#62;<\/title>/);
    },
  },
  {
    name: 'valueBatcher: one flush per window, latest value per tag, in arrival order',
    async run() {
      const flushed: TagValue[][] = [];
      const batcher = new TagValueBatcher((values) => flushed.push(values), { intervalMs: 30, maxValues: Number.POSITIVE_INFINITY });
      const v = (tag: string, value: number): TagValue => ({ device: 'D', tag, value, quality: 'good', ts: value });
      batcher.push([v('a', 1), v('b', 2)]);
      batcher.push([v('a', 3)]);
      assert.equal(flushed.length, 0);
      await new Promise((r) => setTimeout(r, 60));
      assert.deepEqual(flushed, [[v('b', 2), v('a', 3)]]);
      batcher.push([v('c', 4)]);
      batcher.close();
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(flushed.length, 1, 'cleared values are never sent');
    },
  },
  {
    name: 'valueBatcher: read ticks go in the same flush as the values, latest per device and scan period',
    async run() {
      const flushed: Array<{ values: TagValue[]; reads: TagReadTick[] }> = [];
      let flushedOnce: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (flushedOnce = resolve));
      const batcher = new TagValueBatcher(
        (values, reads) => {
          flushed.push({ values, reads });
          flushedOnce();
        },
        { intervalMs: 30, maxValues: Number.POSITIVE_INFINITY },
      );
      const value: TagValue = { device: 'D', tag: 'a', value: 1, quality: 'good', ts: 10 };
      batcher.pushRead({ device: 'D', scanMs: 1000, at: 5 });
      batcher.push([value]);
      for (const tick of [{ device: 'D', scanMs: 1000, at: 11 }, { device: 'E', scanMs: 500, at: 11 }]) batcher.pushRead(tick);
      await done;
      assert.deepEqual(flushed, [{ values: [value], reads: [{ device: 'D', scanMs: 1000, at: 11 }, { device: 'E', scanMs: 500, at: 11 }] }]);
    },
  },
  {
    name: 'tag watch command: tree nodes and selections become watch entries',
    run() {
      assert.deepEqual(entriesFromArguments('Demo', undefined), [{ device: 'Demo' }]);
      const tag = { kind: 'tag', device: 'Demo', tag: 'sine' } as const;
      const other = { kind: 'tag', device: 'Demo', tag: 'counter' } as const;
      const device = { kind: 'device', name: 'Demo' } as const;
      assert.deepEqual(entriesFromArguments(tag, [tag, other]), [{ device: 'Demo', tag: 'sine' }, { device: 'Demo', tag: 'counter' }]);
      assert.deepEqual(entriesFromArguments(tag, [other]), [{ device: 'Demo', tag: 'sine' }], 'a click outside the selection acts on the click');
      assert.deepEqual(entriesFromArguments(device, [device, tag]), [{ device: 'Demo' }], 'the device covers its tags');
      assert.equal(entriesFromArguments(undefined, undefined), undefined);
      assert.equal(spacedHex('0106002800fa'), '01 06 00 28 00 FA');
    },
  },
];

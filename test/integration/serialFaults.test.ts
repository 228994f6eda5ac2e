/**
 * Faults on a serial line: `simulate --rtu/--ascii --fault KIND --fault-every 2`
 * on one end of a socat pty pair, the gateway polling it on the other. Every
 * second reply is wrong (a bad CRC or LRC, another unit's, garbage, held for the
 * next, an exception) or slow (one byte at a time). The gateway must turn each into
 * an error on the tags it hit, never into a value, and keep reading the good
 * replies in between. Then the device is replaced by one that behaves (the same
 * line, a new process) and the time until every tag is good again is printed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TagValue } from '../../gateway/api/channel';
import { DEMO_BIG_NUMBER, DEMO_LAYOUT, DEMO_NEGATIVE_VALUE } from '../../gateway/api/demo';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll, type Child } from './helpers/childProcess';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

const BAUD = 19200;
const h = DEMO_LAYOUT.holding;
/** Fixed registers of the demo device, far enough apart to be read one request each: a value that is not its own is a mix-up. */
const TAGS = [
  { name: 'negative', address: `HR:${h.negative}`, type: 'int16' as const, expected: DEMO_NEGATIVE_VALUE },
  { name: 'pi', address: `HR:${h.piAbcd}`, type: 'float32' as const, expected: 3.1415927 },
  { name: 'big', address: `HR:${h.bigNumber}`, type: 'uint32' as const, expected: DEMO_BIG_NUMBER },
];

const FAULTS: { framing: 'rtu' | 'ascii'; fault: string; errors: boolean }[] = [
  { framing: 'rtu', fault: 'badChecksum', errors: true },
  { framing: 'ascii', fault: 'badChecksum', errors: true },
  { framing: 'rtu', fault: 'wrongUnitId', errors: true },
  { framing: 'rtu', fault: 'exception:4', errors: true },
  { framing: 'rtu', fault: 'garbage:9', errors: true },
  { framing: 'rtu', fault: 'coalesce', errors: true },
  { framing: 'rtu', fault: 'drop', errors: true },
  { framing: 'ascii', fault: 'delay:600', errors: true },
  { framing: 'ascii', fault: 'split:1', errors: false },
];

function simulator(framing: 'rtu' | 'ascii', device: string, fault?: string): Promise<Child> {
  const args = [GATEWAY_JS, 'simulate', `--${framing}`, device, '--baud', String(BAUD), '--units', '1'];
  if (fault) args.push('--fault', fault, '--fault-every', '2');
  const child = start(process.execPath, args);
  return child.waitForStdout(/serving/).then(() => child);
}

describe('faults on a serial line (simulate --fault, socat pty pair)', function () {
  this.timeout(30_000);
  let client: TestChannelClient | undefined;
  const figures: string[] = [];

  before(() => {
    requireBuiltGateway();
    requireSocat();
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await stopAll();
  });
  after(() => {
    if (figures.length > 0) process.stdout.write(`\n${figures.map((line) => `      ${line}`).join('\n')}\n`);
  });

  for (const { framing, fault, errors } of FAULTS) {
    it(`${framing.toUpperCase()} --fault ${fault}: errors on the tags it hit, never a wrong value, recovery once the device behaves`, async () => {
      const pty = await startPtyPair();
      let device = await simulator(framing, pty.b, fault);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-serial-faults-')), 'bifrost.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          devices: [
            {
              name: 'Meter',
              unitId: 1,
              pollMs: 100,
              // A reply one character at a time is slow, not wrong: give it the time (on a loaded machine too).
              timeoutMs: errors ? 250 : 2000,
              retries: 0,
              maxRegisterGap: 0,
              transport: { kind: framing, path: pty.a, baudRate: BAUD },
              tags: TAGS.map(({ name, address, type }) => ({ name, address, type })),
            },
          ],
        }),
      );
      const gateway = await startGateway(['--config', file]);
      client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
      const values: TagValue[] = [];
      client.socket.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'event' && message.event === 'tag.values') values.push(...(message.data.values as TagValue[]));
      });

      const goodReads = () => values.filter((value) => value.quality === 'good').length;
      if (errors) await until(() => values.some((value) => value.quality === 'bad'), 10_000, `a tag gone bad under ${fault}`);
      await until(() => goodReads() >= TAGS.length, 10_000, `good reads between the faulted ones under ${fault}`);
      // Enough faulted replies that a mix-up (a held reply taken for the next request's) would have shown.
      await until(() => device.stderr.filter((line) => line.includes('fault:')).length >= 6, 15_000, `six injected faults (${fault})`);
      const wrong = values.filter((value) => value.quality === 'good' && value.value !== TAGS.find((tag) => tag.name === value.tag)!.expected);
      assert.deepEqual(wrong.map((value) => `${value.tag} = ${value.value}`), [], 'no tag ever read a value not its own');
      const injected = device.stderr.filter((line) => line.includes('fault:')).length;
      assert.ok(injected > 0, `the simulator logged what it injected: ${device.stderr.slice(-3).join(' | ')}`);
      if (fault === 'badChecksum') {
        const { frames } = await client.request('capture.snapshot', {});
        assert.ok(frames.some((frame) => frame.direction === 'rx' && /CRC|LRC|corrupt/.test(frame.note ?? '')), 'the gateway captured the broken reply and said why it was dropped');
      }
      if (!errors) assert.deepEqual(values.filter((value) => value.quality !== 'good').map((value) => `${value.tag}: ${value.error}`), [], 'a reply in single bytes is still a reply');

      const badDuringFault = values.filter((v) => v.quality === 'bad').length;
      const goodDuringFault = goodReads();
      // The device behaves again: a new simulator on the same line; the clock starts once it serves.
      await device.stop();
      device = await simulator(framing, pty.b);
      const replaced = performance.now();
      const latest = () => new Map(values.map((value) => [value.tag, value]));
      const mark = values.length;
      await until(
        () => TAGS.every((tag) => latest().get(tag.name)?.quality === 'good') && values.length > mark,
        10_000,
        'every tag good again',
      );
      const recoveryMs = performance.now() - replaced;
      figures.push(`${framing.toUpperCase()} ${fault} (1 in 2): ${injected} injected, ${badDuringFault} bad reads, ${goodDuringFault} good reads, 0 wrong values; every tag good ${recoveryMs.toFixed(0)} ms after a well-behaved device took the line`);
    });
  }
});

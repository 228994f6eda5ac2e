import assert from 'node:assert/strict';
import type { TagValue } from '../../../gateway/api/channel';
import { Tag } from '../../../gateway/api/config';
import { silentLogger } from '../../../gateway/engine/logger';
import type { ReadBlock } from '../../../gateway/engine/planner';
import { DevicePoller } from '../../../gateway/engine/poller';
import { ModbusExceptionError } from '../../../gateway/protocol/errors';
import { ExceptionCode } from '../../../gateway/protocol/exceptions';
import { resolveTag, type ResolvedTag } from '../../../gateway/tags/resolve';
import { until } from '../helpers/scriptedServer';

function tags(count: number, extra: Record<string, unknown>[] = []): ResolvedTag[] {
  const inputs = [...Array.from({ length: count }, (_, index) => ({ name: `t${index}`, address: `HR:${index}` })), ...extra];
  return inputs.map((input) => {
    const result = resolveTag(Tag.parse(input));
    if (!result.ok) throw new Error(result.error);
    return result.tag;
  });
}

/** A device whose holding registers are value = address, except the addresses it lacks. */
function scriptedDevice(missing: Set<number>) {
  const reads: ReadBlock[] = [];
  const read = async (block: ReadBlock) => {
    reads.push(block);
    for (let address = block.start; address < block.start + block.quantity; address++) {
      if (missing.has(address)) {
        throw new ModbusExceptionError({ device: 'Dev', unitId: 1, functionCode: 3, address: block.start, quantity: block.quantity }, ExceptionCode.IllegalDataAddress);
      }
    }
    return Array.from({ length: block.quantity }, (_, index) => block.start + index);
  };
  return { reads, read };
}

describe('poller: illegal data address splits the block to find the bad tag', () => {
  let poller: DevicePoller | undefined;
  afterEach(() => poller?.stop('test over'));

  function run(resolved: ResolvedTag[], missing: number[]) {
    const device = scriptedDevice(new Set(missing));
    const latest = new Map<string, TagValue>();
    poller = new DevicePoller({
      device: 'Dev',
      pollMs: 20,
      tags: resolved,
      reader: { read: device.read },
      onValues: (values) => values.forEach((value) => latest.set(value.tag, value)),
      logger: silentLogger,
    });
    poller.start();
    return { device, latest, poller };
  }

  it('only the tag at the missing address goes bad; the rest keep polling in two merged blocks', async () => {
    const { device, latest, poller: p } = run(tags(16), [5]);
    await until(() => latest.size === 16 && device.reads.length > 20);
    assert.equal(latest.get('t5')?.quality, 'bad');
    assert.match(latest.get('t5')?.error ?? '', /rejects HR:5 .*exception 02/);
    for (let index = 0; index < 16; index++) if (index !== 5) assert.equal(latest.get(`t${index}`)?.value, index, `t${index}`);
    assert.equal(p.requestsPerScan, 2, 'HR:0–4 and HR:6–15');
    assert.deepEqual(p.plan.map(({ block }) => [block.start, block.quantity]), [[0, 5], [6, 10]]);
    // After learning, a scan is exactly those two reads.
    const before = device.reads.length;
    await until(() => device.reads.length >= before + 4);
    const recent = device.reads.slice(before, before + 4).map((block) => `${block.start}+${block.quantity}`);
    assert.deepEqual(recent.sort(), ['0+5', '0+5', '6+10', '6+10']);
  });

  it('finds two bad tags in one block', async () => {
    const { latest, poller: p } = run(tags(32), [3, 20]);
    await until(() => latest.get('t3')?.quality === 'bad' && latest.get('t20')?.quality === 'bad' && latest.get('t31')?.quality === 'good');
    assert.equal(p.requestsPerScan, 3);
    assert.equal([...latest.values()].filter((value) => value.quality === 'bad').length, 2);
  });

  it('a missing register inside a bridged gap cuts the block there without blaming a tag', async () => {
    const { latest, poller: p } = run(tags(0, [{ name: 'a', address: 'HR:0' }, { name: 'b', address: 'HR:6' }]), [3]);
    await until(() => latest.get('a')?.quality === 'good' && latest.get('b')?.quality === 'good' && p.requestsPerScan === 2);
    assert.equal(latest.get('a')?.value, 0);
    assert.equal(latest.get('b')?.value, 6);
  });

  it('per-tag scan rates: each scan group has its own requests and period', async () => {
    const { latest, poller: p } = run(tags(4, [{ name: 'fast', address: 'HR:50', scanMs: 10 }]), []);
    await until(() => latest.size === 5);
    assert.deepEqual(p.plan.map(({ block, scanMs }) => [scanMs, block.start, block.quantity]), [[10, 50, 1], [20, 0, 4]]);
  });
});

import assert from 'node:assert/strict';
import type { DecodedFrame } from '../../../gateway/api';
import { DecodeCache } from '../../../extension/frameDebugger/decodeCache';

const answer = (summary: string): DecodedFrame =>
  ({ framing: 'tcp', direction: 'request', directionInferred: false, summary, fields: [], problems: [] }) as unknown as DecodedFrame;

describe("the Frame Debugger's decoded summaries, kept for a page rebuilt when shown again", () => {
  it('answers the same bytes again without the gateway, even while it is away', async () => {
    const cache = new DecodeCache(10);
    const params = { hex: '000100000006010300000001', framing: 'tcp' as const, direction: 'request' as const };
    assert.equal((await cache.decode(params, () => Promise.resolve(answer('Read Holding Registers 0 (1)')))).summary, 'Read Holding Registers 0 (1)');
    const away = (): Promise<DecodedFrame> => Promise.reject(new Error('the gateway is not running'));
    assert.equal((await cache.decode({ ...params }, away)).summary, 'Read Holding Registers 0 (1)');
    await assert.rejects(cache.decode({ ...params, direction: 'response' }, away), /not running/, 'other bytes or direction are asked for');
  });

  it('forgets the oldest beyond its limit', async () => {
    const cache = new DecodeCache(2);
    for (const hex of ['01', '02', '03']) await cache.decode({ hex, framing: 'rtu' }, () => Promise.resolve(answer(hex)));
    await assert.rejects(cache.decode({ hex: '01', framing: 'rtu' }, () => Promise.reject(new Error('asked'))), /asked/);
    assert.equal((await cache.decode({ hex: '03', framing: 'rtu' }, () => Promise.reject(new Error('asked')))).summary, '03');
  });
});

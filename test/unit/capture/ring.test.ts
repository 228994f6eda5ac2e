import assert from 'node:assert/strict';
import { CapturedFrame, CaptureSnapshot } from '../../../gateway/api/capture';
import { FrameBatcher } from '../../../gateway/capture/frameBatcher';
import { CaptureRing } from '../../../gateway/capture/ring';
import type { LinkFrame } from '../../../gateway/transport/frames';

const frame = (n: number, extra: Partial<LinkFrame> = {}): LinkFrame => ({
  direction: n % 2 ? 'rx' : 'tx',
  timestamp: 1_700_000_000_000 + n,
  bytes: Buffer.from([n & 0xff, 0x03]),
  link: 'rtu:///dev/ttyUSB0',
  device: 'Meter',
  unitId: 3,
  ...extra,
});

describe('capture ring', () => {
  it('keeps every field of a frame, bytes as hex, and matches the contract', () => {
    const ring = new CaptureRing(4);
    ring.push(frame(1, { note: 'bad CRC: dropped' }));
    const captured = ring.snapshot().frames[0];
    assert.deepEqual(captured, {
      id: 1,
      ts: 1_700_000_000_001,
      direction: 'rx',
      link: 'rtu:///dev/ttyUSB0',
      device: 'Meter',
      unitId: 3,
      hex: '0103',
      note: 'bad CRC: dropped',
    });
    CapturedFrame.parse(captured);
    CaptureSnapshot.parse(ring.snapshot());
    assert.equal(ring.snapshot().frames[0], captured, 'a frame is turned into its contract form once, when first read');
  });

  it('is bounded: keeps the newest `capacity` frames, oldest first, and counts the dropped', () => {
    const ring = new CaptureRing(3);
    for (let n = 1; n <= 10; n++) ring.push(frame(n));
    const snapshot = ring.snapshot();
    assert.deepEqual(snapshot.frames.map((f) => f.id), [8, 9, 10]);
    assert.equal(snapshot.capacity, 3);
    assert.equal(snapshot.dropped, 7);
    assert.equal(ring.size, 3);
  });

  it('shares itself fairly: a busy device evicts its own frames, never those of a quiet one', () => {
    const ring = new CaptureRing(10);
    for (let n = 1; n <= 3; n++) ring.push(frame(n, { device: 'Meter' }));
    for (let n = 4; n <= 1000; n++) ring.push(frame(n, { device: 'Demo', link: 'demo://127.0.0.1:1' }));
    const snapshot = ring.snapshot();
    assert.deepEqual(snapshot.frames.filter((f) => f.device === 'Meter').map((f) => f.id), [1, 2, 3]);
    assert.deepEqual(snapshot.frames.filter((f) => f.device === 'Demo').map((f) => f.id), [994, 995, 996, 997, 998, 999, 1000]);
    assert.deepEqual(snapshot.frames.map((f) => f.id), [1, 2, 3, 994, 995, 996, 997, 998, 999, 1000], 'oldest first across devices');
    assert.deepEqual(snapshot.droppedBy, { Demo: 990 });
    assert.equal(snapshot.dropped, 990);
    // A third device gets its share: the biggest (Demo) pays until they are even.
    for (let n = 1001; n <= 1010; n++) ring.push(frame(n, { device: undefined, link: 'proxy://Front/10.0.0.9:50000' }));
    const after = ring.snapshot();
    const held = (key: string) => after.frames.filter((f) => (f.device ?? f.link) === key).length;
    assert.deepEqual([held('Meter'), held('Demo'), held('proxy://Front/10.0.0.9:50000')], [3, 3, 4]);
    assert.deepEqual(after.droppedBy, { Demo: 994, 'proxy://Front/10.0.0.9:50000': 6 });
    CaptureSnapshot.parse(after);
  });

  it('returns the newest `limit` frames when asked for fewer', () => {
    const ring = new CaptureRing(10);
    for (let n = 1; n <= 5; n++) ring.push(frame(n));
    assert.deepEqual(ring.snapshot(2).frames.map((f) => f.id), [4, 5]);
    assert.deepEqual(ring.snapshot(50).frames.map((f) => f.id), [1, 2, 3, 4, 5]);
  });

  it('clears, and ids keep increasing after a clear so clients notice', () => {
    const ring = new CaptureRing(2);
    for (let n = 1; n <= 3; n++) ring.push(frame(n));
    ring.clear();
    assert.deepEqual(ring.snapshot(), { frames: [], capacity: 2, dropped: 0, droppedBy: {} });
    ring.push(frame(4));
    assert.equal(ring.snapshot().frames[0].id, 4);
  });

  it('defaults to 10,000 frames and refuses a capacity that is not a positive integer', () => {
    assert.equal(new CaptureRing().capacity, 10_000);
    assert.throws(() => new CaptureRing(0), /positive integer/);
  });

  it('feeds subscribers, and the batcher hands frames over in batches without losing any', async () => {
    const ring = new CaptureRing(100);
    const batches: number[][] = [];
    const batcher = new FrameBatcher((frames) => batches.push(frames.map((f) => f.id)), { intervalMs: 10, maxFrames: 4 });
    const unsubscribe = ring.subscribe((captured) => batcher.push(captured));
    for (let n = 1; n <= 6; n++) ring.push(frame(n));
    assert.deepEqual(batches, [[1, 2, 3, 4]]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(batches, [[1, 2, 3, 4], [5, 6]]);
    unsubscribe();
    ring.push(frame(7));
    batcher.close();
    assert.equal(batches.length, 2);
  });
});

import assert from 'node:assert/strict';
import { BifrostConfig } from '../../../gateway/api/config';
import { FrameRefusedError, replayFrame, type ExchangeTarget } from '../../../gateway/capture/exchange';
import { writePcap } from '../../../gateway/capture/pcap';
import { CaptureRing } from '../../../gateway/capture/ring';
import { decodeFrame } from '../../../gateway/protocol/decoder';

/** The empty rx frame a session captures when a request got no reply. */
const marker = { direction: 'rx' as const, timestamp: 1_700_000_000_000, bytes: Buffer.alloc(0), link: 'tcp://10.0.0.5:502', device: 'Plc', unitId: 1, note: 'no reply within 1000 ms' };
const request = { ...marker, direction: 'tx' as const, bytes: Buffer.from('000100000006010300000001', 'hex'), note: undefined };

describe('"no reply" markers in the capture', () => {
  it('decode to problems, never an exception, in every framing', () => {
    for (const framing of ['tcp', 'rtu', 'ascii'] as const) {
      const decoded = decodeFrame(Buffer.alloc(0), { framing, direction: 'response' });
      assert.ok(decoded.problems.length > 0, framing);
    }
  });

  it('are left out of a pcap: nothing crossed the wire', () => {
    const ring = new CaptureRing(10);
    ring.push(request);
    ring.push(marker);
    const frames = ring.snapshot().frames;
    assert.deepEqual(writePcap(frames), writePcap(frames.slice(0, 1)));
  });

  it('cannot be replayed, and say why', () => {
    const ring = new CaptureRing(10);
    ring.push(marker);
    const device = BifrostConfig.parse({ devices: [{ name: 'Plc', transport: { kind: 'tcp', host: '10.0.0.5' } }] }).devices[0];
    const target: ExchangeTarget = { capture: ring, deviceConfig: () => device, sendPdu: () => Promise.reject(new Error('must not send')) };
    assert.throws(() => replayFrame(target, 1), (error: unknown) => error instanceof FrameRefusedError && /frame 1 marks a request that got no reply/.test(error.message));
  });
});

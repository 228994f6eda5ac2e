import assert from 'node:assert/strict';
import { FrameError, ProtocolLimitError } from '../../../gateway/protocol/errors';
import { decodeMbapFrame, encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { MbapReassembler } from '../../../gateway/protocol/mbapReassembler';

const readHolding = Buffer.from('0300000002', 'hex');

describe('MBAP', () => {
  it('encodes the header exactly as the spec lays it out', () => {
    const adu = encodeMbapFrame({ transactionId: 0x1234, unitId: 0x11, pdu: readHolding });
    assert.equal(adu.toString('hex'), '123400000006110300000002');
  });

  it('round-trips transaction id, unit id and PDU', () => {
    const frame = decodeMbapFrame(encodeMbapFrame({ transactionId: 0xffff, unitId: 255, pdu: readHolding }));
    assert.equal(frame.transactionId, 0xffff);
    assert.equal(frame.unitId, 255);
    assert.deepEqual(frame.pdu, readHolding);
  });

  it('refuses a PDU that would make the length field exceed 254', () => {
    encodeMbapFrame({ transactionId: 1, unitId: 1, pdu: Buffer.alloc(253) });
    assert.throws(
      () => encodeMbapFrame({ transactionId: 1, unitId: 1, pdu: Buffer.alloc(254) }),
      (error: unknown) => error instanceof ProtocolLimitError && /at most 254/.test(error.message) && /mbapLength/.test(error.message),
    );
  });

  it('rejects a non-zero protocol id and a length the frame does not have', () => {
    assert.throws(() => decodeMbapFrame(Buffer.from('000100050006010300000001', 'hex')), /protocol id 0/);
    assert.throws(() => decodeMbapFrame(Buffer.from('00010000000701030000', 'hex')), FrameError);
  });
});

describe('MbapReassembler', () => {
  const frames = [1, 2, 3].map((id) => encodeMbapFrame({ transactionId: id, unitId: 1, pdu: readHolding }));
  const stream = Buffer.concat(frames);

  it('joins a frame split into single bytes', () => {
    const reassembler = new MbapReassembler();
    const out: Buffer[] = [];
    for (const byte of frames[0]) out.push(...reassembler.push(Buffer.of(byte)));
    assert.deepEqual(out, [frames[0]]);
    assert.equal(reassembler.bufferedBytes, 0);
  });

  it('splits coalesced frames from one chunk, in order', () => {
    assert.deepEqual(new MbapReassembler().push(stream), frames);
  });

  it('handles every split point of a three-frame stream', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const reassembler = new MbapReassembler();
      const out = [...reassembler.push(stream.subarray(0, cut)), ...reassembler.push(stream.subarray(cut))];
      assert.deepEqual(out, frames, `cut at ${cut}`);
    }
  });

  it('keeps a partial header until the rest arrives', () => {
    const reassembler = new MbapReassembler();
    assert.deepEqual(reassembler.push(frames[0].subarray(0, 5)), []);
    assert.equal(reassembler.bufferedBytes, 5);
    assert.deepEqual(reassembler.push(frames[0].subarray(5)), [frames[0]]);
  });

  it('throws FrameError on a length that cannot be right (the stream lost its framing)', () => {
    const reassembler = new MbapReassembler();
    assert.throws(() => reassembler.push(Buffer.from('0001000000ff01', 'hex')), /MBAP length of 2\.\.254/);
    assert.throws(() => new MbapReassembler().push(Buffer.from('00010000000101', 'hex')), FrameError);
  });
});

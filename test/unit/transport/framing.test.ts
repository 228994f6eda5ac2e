import assert from 'node:assert/strict';
import { AsciiFrameSplitter, decodeAsciiFrame, encodeAsciiFrame } from '../../../gateway/protocol/asciiFraming';
import { appendCrc } from '../../../gateway/protocol/crc16';
import { RtuFrameSplitter, decodeRtuFrame, encodeRtuFrame } from '../../../gateway/protocol/rtuFraming';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
/** Unit 1's reply to "read 2 holding registers": 0x1234, 0x5678. */
const reply = appendCrc(hex('01 03 04 1234 5678'));
const exception = appendCrc(hex('01 83 02'));

describe('RTU framing', () => {
  it('encodes unit + PDU + CRC low byte first (spec example: unit 0x11 reads 3 registers at 0x6B)', () => {
    assert.equal(encodeRtuFrame(0x11, hex('03 006B 0003')).toString('hex'), '1103006b00037687');
    assert.deepEqual(decodeRtuFrame(reply), { unitId: 1, pdu: hex('03 04 1234 5678') });
  });

  it('finds a response end from function code and byte count, however the bytes are chunked', () => {
    const splitter = new RtuFrameSplitter('response');
    const frames: Buffer[] = [];
    for (const byte of reply) frames.push(...splitter.push(Buffer.from([byte])).frames);
    assert.deepEqual(frames, [reply]);
    assert.equal(splitter.bufferedBytes, 0);
  });

  it('splits coalesced frames: a reply, an exception and a write echo in one chunk', () => {
    const echo = appendCrc(hex('01 06 0001 0003'));
    const { frames, discarded } = new RtuFrameSplitter('response').push(Buffer.concat([reply, exception, echo]));
    assert.deepEqual(frames, [reply, exception, echo]);
    assert.deepEqual(discarded, []);
  });

  it('drops a frame with a bad CRC and says so', () => {
    const broken = Buffer.from(reply);
    broken[4] ^= 0xff;
    const { frames, discarded } = new RtuFrameSplitter('response').push(broken);
    assert.deepEqual(frames, []);
    // Nothing in the broken bytes ends in a valid CRC: they wait, then a flush drops them.
    assert.equal(discarded.length, 0);
    const next = new RtuFrameSplitter('response').push(Buffer.concat([broken, reply]));
    assert.deepEqual(next.frames, [reply]);
    assert.equal(next.discarded[0].reason, 'bad CRC');
    assert.deepEqual(next.discarded[0].bytes, broken);
  });

  it('resynchronises after garbage before a reply', () => {
    const { frames, discarded } = new RtuFrameSplitter('response').push(Buffer.concat([hex('ff 00 13'), reply]));
    assert.deepEqual(frames, [reply]);
    assert.deepEqual(discarded[0].bytes, hex('ff 00 13'));
  });

  it('is not held back by garbage that looks like the header of a long frame', () => {
    // "01 03 FA" announces 250 data bytes; the real 9-byte reply must still come out.
    const { frames } = new RtuFrameSplitter('response').push(Buffer.concat([hex('01 03 fa'), reply]));
    assert.deepEqual(frames, [reply]);
  });

  it('measures read device identification (43/14) replies by their objects', () => {
    const objects = Buffer.concat([hex('00 04'), Buffer.from('ACME'), hex('01 02'), Buffer.from('X1')]);
    const frame = appendCrc(Buffer.concat([hex('05 2b 0e 01 01 00 00 02'), objects]));
    const splitter = new RtuFrameSplitter('response');
    assert.deepEqual(splitter.push(frame.subarray(0, 10)).frames, []);
    assert.deepEqual(splitter.push(frame.subarray(10)).frames, [frame]);
  });

  it('falls back to the CRC for function codes without a length rule', () => {
    const odd = appendCrc(hex('01 41 01 02 03'));
    assert.deepEqual(new RtuFrameSplitter('response').push(odd).frames, [odd]);
  });

  it('cuts requests for the server side, including write-multiple byte counts', () => {
    const read = encodeRtuFrame(2, hex('03 0000 000a'));
    const write = encodeRtuFrame(2, hex('10 0000 0002 04 0001 0002'));
    const { frames } = new RtuFrameSplitter('request').push(Buffer.concat([read, write]));
    assert.deepEqual(frames, [read, write]);
  });

  it('forgets a partial frame on reset (input flushed before a request)', () => {
    const splitter = new RtuFrameSplitter('response');
    splitter.push(reply.subarray(0, 5));
    splitter.reset();
    assert.deepEqual(splitter.push(reply).frames, [reply]);
  });
});

describe('ASCII framing', () => {
  it('encodes ":" + hex + LRC + CR LF (spec example LRC 0x7E)', () => {
    assert.equal(encodeAsciiFrame(0x11, hex('03 006B 0003')).toString('ascii'), ':1103006B00037E\r\n');
  });

  it('decodes a frame and refuses a bad LRC with the expected value', () => {
    const decoded = decodeAsciiFrame(Buffer.from(':1103006B00037E\r\n'));
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.frame, { unitId: 0x11, pdu: hex('03 006B 0003') });
    const bad = decodeAsciiFrame(Buffer.from(':1103006B00037F\r\n'));
    assert.deepEqual(bad, { ok: false, error: 'bad LRC: expected 7E, got 7F' });
  });

  it('splits chunked and coalesced frames, drops noise and a frame with a bad LRC', () => {
    const a = encodeAsciiFrame(1, hex('03 04 1234 5678'));
    const b = encodeAsciiFrame(2, hex('83 02'));
    const stream = Buffer.concat([Buffer.from('zz'), a, Buffer.from(':0103FF00\r\n'), b]);
    const splitter = new AsciiFrameSplitter();
    const frames: Buffer[] = [];
    const reasons: string[] = [];
    for (let i = 0; i < stream.length; i += 3) {
      const result = splitter.push(stream.subarray(i, i + 3));
      frames.push(...result.frames);
      reasons.push(...result.discarded.map((d) => d.reason));
    }
    assert.deepEqual(frames, [a, b]);
    assert.ok(reasons.includes('bytes outside a frame'));
    assert.ok(reasons.some((reason) => reason.startsWith('bad LRC')));
  });

  it('restarts on a ":" inside an unfinished frame', () => {
    const good = encodeAsciiFrame(1, hex('06 0001 0003'));
    const { frames, discarded } = new AsciiFrameSplitter().push(Buffer.concat([Buffer.from(':0103'), good]));
    assert.deepEqual(frames, [good]);
    assert.equal(discarded[0].reason, 'frame cut short by a new ":"');
  });
});

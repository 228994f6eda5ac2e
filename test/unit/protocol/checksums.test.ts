import { strict as assert } from 'node:assert';
import { appendCrc, crc16, hasValidCrc } from '../../../gateway/protocol/crc16';
import { lrc } from '../../../gateway/protocol/lrc';

describe('checksums', () => {
  it('computes the CRC of the spec example (read 2 holding registers at 0x006B of unit 0x11) low byte first', () => {
    // Modbus over Serial Line V1.02 and the Modbus Organization examples: 11 03 00 6B 00 03 → CRC 76 87.
    const frame = appendCrc(Buffer.from('1103006B0003', 'hex'));
    assert.equal(frame.toString('hex'), '1103006b00037687');
    assert.ok(hasValidCrc(frame));
  });

  it('detects a flipped bit', () => {
    const frame = appendCrc(Buffer.from('010300000001', 'hex'));
    frame[3] ^= 0x01;
    assert.equal(hasValidCrc(frame), false);
  });

  it('matches CRC-16/MODBUS check value 0x4B37 for "123456789"', () => {
    assert.equal(crc16(Buffer.from('123456789', 'ascii')), 0x4b37);
  });

  it('computes the LRC of the ASCII example (unit 0x11, read 3 registers from 0x006B) as 0x7E', () => {
    assert.equal(lrc(Buffer.from('1103006B0003', 'hex')), 0x7e);
  });
});

import assert from 'node:assert/strict';
import {
  bitsPerCharacter,
  describeLine,
  interFrameSilenceMs,
  wireTimeMs,
  type LineSettings,
} from '../../../gateway/transport/serialTiming';

const line = (baudRate: number, parity: LineSettings['parity'] = 'even', stopBits: 1 | 2 = 1): LineSettings => ({
  baudRate,
  parity,
  stopBits,
  dataBits: 8,
});

describe('serial line timing', () => {
  it('counts 11 bits a character for 8E1 and 8N2, 10 for 8N1', () => {
    assert.equal(bitsPerCharacter(line(9600)), 11);
    assert.equal(bitsPerCharacter(line(9600, 'none', 2)), 11);
    assert.equal(bitsPerCharacter(line(9600, 'none')), 10);
  });

  it('computes t3.5 from the character time up to 19200 baud', () => {
    assert.ok(Math.abs(interFrameSilenceMs(line(9600)) - (3.5 * 11 * 1000) / 9600) < 1e-9); // 4.01 ms
    assert.ok(Math.abs(interFrameSilenceMs(line(19200)) - (3.5 * 11 * 1000) / 19200) < 1e-9); // 2.005 ms
  });

  it('fixes t3.5 at 1.75 ms above 19200 baud', () => {
    assert.equal(interFrameSilenceMs(line(38400)), 1.75);
    assert.equal(interFrameSilenceMs(line(115200)), 1.75);
  });

  it("matches the serial-line bus time (docs/pitfalls.md) for 10 registers at 9600 and 115200 baud", () => {
    // (8 + 5 + 2N) bytes + 2 × t3.5.
    const busTime = (l: LineSettings) => wireTimeMs(13 + 20, l) + 2 * interFrameSilenceMs(l);
    assert.equal(busTime(line(9600)).toFixed(1), '45.8');
    assert.equal(busTime(line(115200)).toFixed(1), '6.7');
  });

  it('describes a line as users write it', () => {
    assert.equal(describeLine(line(9600)), '9600 8E1');
    assert.equal(describeLine({ baudRate: 19200, parity: 'none', stopBits: 2, dataBits: 7 }), '19200 7N2');
  });
});

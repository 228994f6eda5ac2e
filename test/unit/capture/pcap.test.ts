import assert from 'node:assert/strict';
import type { CapturedFrame } from '../../../gateway/api/capture';
import { internetChecksum, linkAddress, MODBUS_RTU_PORT, pcapPayload, writePcap } from '../../../gateway/capture/pcap';
import { encodeAsciiFrame } from '../../../gateway/protocol/asciiFraming';
import { encodeRtuFrame } from '../../../gateway/protocol/rtuFraming';

const frame = (id: number, direction: 'tx' | 'rx', hex: string, link = 'tcp://192.168.1.20:502'): CapturedFrame => ({
  id, ts: 1_700_000_000_123.456 + id, direction, link, hex,
});

/** Packets of a pcap: [record header, Ethernet frame]. */
function packets(file: Buffer): { header: Buffer; data: Buffer }[] {
  const out: { header: Buffer; data: Buffer }[] = [];
  for (let at = 24; at < file.length; ) {
    const header = file.subarray(at, at + 16);
    const length = header.readUInt32LE(8);
    out.push({ header, data: file.subarray(at + 16, at + 16 + length) });
    at += 16 + length;
  }
  return out;
}

describe('pcap writer', () => {
  const request = '000100000006010300000002';
  const reply = '00010000000701030400070008';
  const file = writePcap([frame(1, 'tx', request), frame(2, 'rx', reply)]);

  it('writes a classic little-endian pcap header: v2.4, microseconds, Ethernet', () => {
    assert.equal(file.readUInt32LE(0), 0xa1b2c3d4);
    assert.equal(file.readUInt16LE(4), 2);
    assert.equal(file.readUInt16LE(6), 4);
    assert.equal(file.readUInt32LE(16), 65_535);
    assert.equal(file.readUInt32LE(20), 1);
  });

  it('stamps each record with the frame time in seconds and microseconds', () => {
    const [first] = packets(file);
    assert.equal(first.header.readUInt32LE(0), 1_700_000_000);
    assert.equal(first.header.readUInt32LE(4), 124_456);
    assert.equal(first.header.readUInt32LE(8), first.header.readUInt32LE(12));
  });

  it('wraps TCP frames in IPv4/TCP on port 502 with valid checksums and per-direction sequence numbers', () => {
    const [tx, rx] = packets(file);
    for (const { data } of [tx, rx]) {
      assert.equal(data.readUInt16BE(12), 0x0800);
      const ip = data.subarray(14, 34);
      assert.equal(internetChecksum([ip]), 0, 'IP header sums to zero with its checksum');
      const tcp = data.subarray(34);
      const pseudo = Buffer.alloc(12);
      ip.copy(pseudo, 0, 12, 20);
      pseudo[9] = 6;
      pseudo.writeUInt16BE(tcp.length, 10);
      assert.equal(internetChecksum([pseudo, tcp]), 0, 'TCP segment sums to zero with its checksum');
    }
    assert.deepEqual([...tx.data.subarray(30, 34)], [192, 168, 1, 20], 'the device address from the link');
    assert.equal(tx.data.readUInt16BE(36), 502);
    assert.equal(rx.data.readUInt16BE(34), 502);
    assert.equal(tx.data.subarray(54).toString('hex'), request);
    const txSeq = tx.data.readUInt32BE(38);
    const rxAck = rx.data.readUInt32BE(42);
    assert.equal(rxAck, txSeq + request.length / 2, 'the reply acknowledges the request bytes');
    assert.equal(tx.data.readUInt16BE(18), 1, 'the IP id is the frame id');
  });

  it('puts RTU on port 4001 byte for byte and re-frames ASCII as RTU', () => {
    const rtu = encodeRtuFrame(3, Buffer.from('0300000002', 'hex'));
    const ascii = encodeAsciiFrame(3, Buffer.from('0300000002', 'hex'));
    const [r] = packets(writePcap([frame(1, 'tx', rtu.toString('hex'), 'rtu:///dev/ttyUSB0')]));
    assert.equal(r.data.readUInt16BE(36), MODBUS_RTU_PORT);
    assert.equal(r.data.subarray(54).toString('hex'), rtu.toString('hex'));
    assert.deepEqual(pcapPayload(frame(2, 'tx', ascii.toString('hex'), 'ascii:///dev/ttyS0')), rtu);
    assert.deepEqual(linkAddress('rtu:///dev/ttyUSB0', 2), [10, 66, 1, 2]);
  });
});

/**
 * The frame debugger's gateway side against real peers: the gateway polls the demo
 * simulator, `capture.exportPcap` writes the ring as pcap, and tshark (Wireshark's
 * dissectors) must read it and find the same Modbus/TCP transaction ids and function
 * codes as the ring holds, with good IP and TCP checksums. RTU and ASCII frames are
 * checked through tshark's Modbus RTU dissector with the "Decode As" rule the README
 * gives. Then `capture.replay` and `capture.send` go to the simulator through the
 * device's session.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CapturedFrame } from '../../gateway/api/capture';
import { DEMO_DEVICE_NAME } from '../../gateway/api/demo';
import { MODBUS_RTU_PORT, writePcap } from '../../gateway/capture/pcap';
import { encodeAsciiFrame } from '../../gateway/protocol/asciiFraming';
import { encodeRtuFrame } from '../../gateway/protocol/rtuFraming';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, stopAll } from './helpers/childProcess';
import { requireTshark, rtuDecodeArgs, tsharkFields } from './helpers/tshark';
import { requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

function badCrc(frame: Buffer): Buffer {
  const broken = Buffer.from(frame);
  broken[broken.length - 1] ^= 0xff;
  return broken;
}

function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-pcap-')), name);
}

describe('pcap export, replay and send (gateway + demo simulator + tshark)', function () {
  this.timeout(60_000);
  let client: TestChannelClient;

  before(async () => {
    requireTshark();
    requireBuiltGateway();
    const gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    await client.request('config.apply', { config: null, source: 'pcap test' });
    let replies = 0;
    await until(() => replies >= 20, 10_000, '20 replies in the ring', async () => {
      replies = (await client.request('capture.snapshot', {})).frames.filter((f) => f.direction === 'rx').length;
    });
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  it('exports the ring as a pcap that tshark decodes as Modbus/TCP with the same transaction ids and function codes', async () => {
    const { frames: ring } = await client.request('capture.snapshot', {});
    const last = ring[ring.length - 1].id;
    const exported = await client.request('capture.exportPcap', { toId: last });
    const frames = ring.filter((f) => f.id <= last);
    assert.equal(exported.frames, frames.length);
    const file = tempFile('demo.pcap');
    fs.writeFileSync(file, Buffer.from(exported.base64, 'base64'));

    const rows = await tsharkFields(file, ['ip.id', 'tcp.dstport', 'mbtcp.trans_id', 'modbus.func_code', 'mbtcp.unit_id', 'ip.checksum.status', 'tcp.checksum.status', '_ws.expert.severity']);
    assert.equal(rows.length, frames.length, 'one packet per captured frame');
    rows.forEach((row, index) => {
      const frame = frames[index];
      const [ipId, dstPort, transId, functionCode, unitId, ipOk, tcpOk] = row;
      const bytes = Buffer.from(frame.hex, 'hex');
      assert.equal(Number(ipId), frame.id & 0xffff, 'the IP id carries the frame id');
      assert.equal(Number(dstPort), frame.direction === 'tx' ? 502 : 49152);
      assert.equal(Number(transId), bytes.readUInt16BE(0), `transaction id of frame ${frame.id}`);
      assert.equal(Number(functionCode), bytes[7], `function code of frame ${frame.id}`);
      assert.equal(Number(unitId), bytes[6]);
      assert.equal(ipOk, '1', 'IP checksum good');
      assert.equal(tcpOk, '1', 'TCP checksum good');
    });
    const codes = new Set(rows.map((r) => Number(r[3])));
    assert.ok(codes.has(3) && codes.has(4), `the demo's holding and input register reads are there (${[...codes].join(', ')})`);
    // Sequence analysis: no gaps or retransmissions reported.
    const analysis = await tsharkFields(file, ['tcp.analysis.flags']);
    assert.ok(analysis.every((r) => r.join('') === ''), `tcp analysis flags: ${JSON.stringify(analysis.filter((r) => r.join('')))}`);
  });

  it('filters the export by device and frame id range', async () => {
    const { frames } = await client.request('capture.snapshot', {});
    const from = frames[2].id;
    const to = frames[5].id;
    assert.equal((await client.request('capture.exportPcap', { fromId: from, toId: to })).frames, to - from + 1);
    assert.equal((await client.request('capture.exportPcap', { device: 'nobody' })).frames, 0);
  });

  it('carries RTU byte for byte and ASCII as RTU on port 4001, which tshark decodes as Modbus RTU with CRCs it finds right', async () => {
    const frame = (id: number, direction: 'tx' | 'rx', link: string, bytes: Buffer): CapturedFrame => ({
      id, ts: 1_700_000_000_000 + id, direction, link, hex: bytes.toString('hex'),
    });
    const frames = [
      frame(1, 'tx', 'rtu:///dev/ttyUSB0', encodeRtuFrame(3, Buffer.from('0300000002', 'hex'))),
      frame(2, 'rx', 'rtu:///dev/ttyUSB0', encodeRtuFrame(3, Buffer.from('030400070008', 'hex'))),
      frame(3, 'tx', 'ascii:///dev/ttyS1', encodeAsciiFrame(4, Buffer.from('0400100001', 'hex'))),
      frame(4, 'rx', 'ascii:///dev/ttyS1', encodeAsciiFrame(4, Buffer.from('0402002a', 'hex'))),
      // A reply with a bad CRC, as the gateway captures one it dropped: carried as it came, and Wireshark must say so.
      { ...frame(5, 'rx', 'rtu:///dev/ttyUSB0', badCrc(encodeRtuFrame(3, Buffer.from('030400070008', 'hex')))), note: 'bad CRC: dropped' },
    ];
    const file = tempFile('serial.pcap');
    fs.writeFileSync(file, writePcap(frames));
    const rows = await tsharkFields(file, ['mbrtu.unit_id', 'modbus.func_code', 'tcp.checksum.status', 'mbrtu.crc16.status'], rtuDecodeArgs(MODBUS_RTU_PORT));
    assert.deepEqual(rows.slice(0, 4), [['3', '3', '1', '1'], ['3', '3', '1', '1'], ['4', '4', '1', '1'], ['4', '4', '1', '1']]);
    assert.deepEqual(rows[4].slice(0, 1).concat(rows[4].slice(2)), ['3', '1', '0'], 'the bad CRC is found bad');
  });

  it("puts a proxy's client leg in its own Modbus/TCP stream, client → gateway:502, which tshark pairs with the device leg's", async () => {
    const frame = (id: number, direction: 'tx' | 'rx', link: string, hex: string): CapturedFrame => ({
      id, ts: 1_700_000_000_000 + id, direction, link, hex, correlation: id === 2 ? undefined : 'proxy plc #1',
    });
    const frames = [
      frame(1, 'rx', 'proxy://plc/192.168.7.20:50412', '123400000006' + '11' + '0300280004'), // client asks unit 17
      frame(2, 'tx', 'tcp://10.0.0.5:502', '000700000006' + '01' + '0300280004'), // remapped to unit 1
      frame(3, 'rx', 'tcp://10.0.0.5:502', '00070000000b' + '01' + '030800010002000300 04'.replace(/ /g, '')),
      frame(4, 'tx', 'proxy://plc/192.168.7.20:50412', '12340000000b' + '11' + '0308000100020003 0004'.replace(/ /g, '')),
    ];
    const file = tempFile('proxy.pcap');
    fs.writeFileSync(file, writePcap(frames));
    const rows = await tsharkFields(file, ['frame.number', 'ip.src', 'tcp.srcport', 'ip.dst', 'tcp.dstport', 'mbtcp.trans_id', 'mbtcp.unit_id', 'modbus.request_frame', 'tcp.checksum.status']);
    assert.deepEqual(rows, [
      ['1', '192.168.7.20', '50412', '10.66.0.1', '502', '4660', '17', '', '1'],
      ['2', '10.66.0.1', '49153', '10.0.0.5', '502', '7', '1', '', '1'],
      ['3', '10.0.0.5', '502', '10.66.0.1', '49153', '7', '1', '2', '1'],
      ['4', '10.66.0.1', '502', '192.168.7.20', '50412', '4660', '17', '1', '1'],
    ]);
  });

  it('replays a captured request to the demo device and returns the new, decoded response', async () => {
    const { frames } = await client.request('capture.snapshot', {});
    const request = frames.find((f) => f.direction === 'tx' && f.hex.slice(14, 16) === '03')!;
    const result = await client.request('capture.replay', { frameId: request.id });
    assert.equal(result.device, DEMO_DEVICE_NAME);
    assert.equal(result.error, undefined);
    assert.ok(result.request.frameId! > request.id, 'the replay is a new frame in the ring');
    assert.equal(result.request.hex.slice(12), request.hex.slice(12), 'same unit id and PDU; the session picks the transaction id');
    assert.ok(result.response, 'a response');
    assert.equal(result.response.decoded.functionCode, 3);
    assert.equal(result.response.decoded.direction, 'response');
    assert.deepEqual(result.response.decoded.problems, []);
    assert.equal(result.response.hex.slice(0, 4), result.request.hex.slice(0, 4), 'paired by transaction id');
    assert.ok(result.roundTripMs! >= 0 && result.roundTripMs! < 1000);
    // The demo polls the same PDU all the time: the replay is told apart by its own mark, not by its bytes.
    const { frames: after } = await client.request('capture.snapshot', {});
    assert.match(after.find((f) => f.id === result.request.frameId)?.correlation ?? '', /^replay #\d+$/);
    assert.equal(after.find((f) => f.id === result.response!.frameId)?.hex.slice(0, 4), result.request.hex.slice(0, 4));

    const reply = frames.find((f) => f.direction === 'rx')!;
    const refused = await client.raw('capture.replay', { frameId: reply.id });
    assert.ok(!refused.ok && refused.error.code === 'invalid_params' && /only requests/.test(refused.error.message));
  });

  it('sends a hand-written frame, returns the decoded reply, and refuses a broken one with the decoder’s words', async () => {
    const result = await client.request('capture.send', { device: DEMO_DEVICE_NAME, hex: '00 07 00 00 00 06 01 03 00 00 00 02' });
    assert.equal(result.response?.decoded.functionCode, 3);
    assert.match(result.response!.decoded.summary, /Read Holding Registers/);
    const exception = await client.request('capture.send', { device: DEMO_DEVICE_NAME, hex: '0000 0000 0006 01 03 FFF0 0002' });
    assert.equal(exception.response?.decoded.exceptionCode, 2, 'illegal data address comes back as an exception response');

    // A vendor or user-defined function goes to the device as written; this one answers it with 01 itself.
    const vendor = await client.request('capture.send', { device: DEMO_DEVICE_NAME, hex: '0000 0000 0004 01 41 0102' });
    assert.ok(vendor.request.frameId !== undefined, 'it went out on the wire');
    assert.equal(vendor.request.hex.slice(12), '01410102');
    assert.equal(vendor.response?.decoded.exceptionCode, 1, "the device's own illegal-function answer");
    const vendorBroken = await client.raw('capture.send', { device: DEMO_DEVICE_NAME, hex: '0000 0000 0009 01 41 0102' });
    assert.ok(!vendorBroken.ok && /MBAP length mismatch/.test(vendorBroken.error.message), 'an unknown function does not excuse bad framing');

    const broken = await client.raw('capture.send', { device: DEMO_DEVICE_NAME, hex: '0000 0000 0009 01 03 0000 0002' });
    assert.ok(!broken.ok && broken.error.code === 'invalid_params');
    assert.match(broken.error.message, /MBAP length mismatch/);
    const wrongUnit = await client.raw('capture.send', { device: DEMO_DEVICE_NAME, hex: '0000 0000 0006 09 03 0000 0002' });
    assert.ok(!wrongUnit.ok && /unit 9/.test(wrongUnit.error.message));
    const unknown = await client.raw('capture.send', { device: 'nobody', hex: '00' });
    assert.ok(!unknown.ok && unknown.error.code === 'unknown_device');
  });
});

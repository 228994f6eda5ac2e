/**
 * The frame decoder against Wireshark's Modbus/TCP dissector: request/response pairs
 * for every function code (and every exception code) are written to a pcap on TCP
 * port 502, tshark decodes it, and for every frame the transaction id, unit id,
 * function code, addresses, quantities, values and exception codes must agree with
 * what decodeFrame() says about the same bytes.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DecodedFrame, FrameField } from '../../gateway/api/frames';
import { decodeFrame } from '../../gateway/protocol/decoder';
import { encodeMbapFrame } from '../../gateway/protocol/mbap';
import { encodeRequest, type ModbusRequest } from '../../gateway/protocol/requests';
import { encodeExceptionResponse, encodeResponse, type ModbusResponse } from '../../gateway/protocol/responses';

const run = promisify(execFile);

function requireTshark(): string {
  try {
    return execFileSync('which', ['tshark'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('tshark is not installed: this test checks the frame decoder against it. Install it with "apt-get install tshark".');
  }
}

// ------------------------------------------------------------------ a tiny pcap writer

const CLIENT_PORT = 40502;
const MODBUS_PORT = 502;

/** Ethernet + IPv4 + TCP around one payload; loopback addresses, sequence numbers per direction. */
class PcapWriter {
  private readonly packets: Buffer[] = [];
  private readonly seq = { toServer: 1000, toClient: 5000 };
  private time = 1_700_000_000;

  add(payload: Buffer, toServer: boolean): void {
    const ethernet = Buffer.alloc(14);
    ethernet.writeUInt16BE(0x0800, 12);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 20 + payload.length, 2);
    ip[8] = 64;
    ip[9] = 6;
    Buffer.of(127, 0, 0, 1).copy(ip, 12);
    Buffer.of(127, 0, 0, 1).copy(ip, 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(toServer ? CLIENT_PORT : MODBUS_PORT, 0);
    tcp.writeUInt16BE(toServer ? MODBUS_PORT : CLIENT_PORT, 2);
    tcp.writeUInt32BE(toServer ? this.seq.toServer : this.seq.toClient, 4);
    tcp.writeUInt32BE(toServer ? this.seq.toClient : this.seq.toServer, 8);
    tcp[12] = 5 << 4;
    tcp[13] = 0x18; // PSH, ACK
    tcp.writeUInt16BE(65535, 14);
    if (toServer) this.seq.toServer += payload.length;
    else this.seq.toClient += payload.length;
    const frame = Buffer.concat([ethernet, ip, tcp, payload]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(this.time++, 0);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    this.packets.push(record, frame);
  }

  toBuffer(): Buffer {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(1, 20); // Ethernet
    return Buffer.concat([header, ...this.packets]);
  }
}

// ------------------------------------------------------------------ the frames

const pairs: [ModbusRequest, ModbusResponse][] = [
  [{ functionCode: 1, address: 19, quantity: 19 }, { functionCode: 1, bits: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1].map(Boolean) }],
  [{ functionCode: 2, address: 196, quantity: 3 }, { functionCode: 2, bits: [true, false, true] }],
  [{ functionCode: 3, address: 107, quantity: 3 }, { functionCode: 3, registers: [0x022b, 0, 100] }],
  [{ functionCode: 4, address: 8, quantity: 2 }, { functionCode: 4, registers: [10, 65535] }],
  [{ functionCode: 5, address: 172, value: true }, { functionCode: 5, address: 172, value: true }],
  [{ functionCode: 6, address: 1, value: 3 }, { functionCode: 6, address: 1, value: 3 }],
  [{ functionCode: 7 }, { functionCode: 7, status: 0x6d }],
  [{ functionCode: 8, subFunction: 0, data: [0xa537] }, { functionCode: 8, subFunction: 0, data: [0xa537] }],
  [{ functionCode: 11 }, { functionCode: 11, status: 0, eventCount: 264 }],
  [{ functionCode: 15, address: 19, values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0].map(Boolean) }, { functionCode: 15, address: 19, quantity: 10 }],
  [{ functionCode: 16, address: 1, values: [10, 258] }, { functionCode: 16, address: 1, quantity: 2 }],
  [{ functionCode: 17 }, { functionCode: 17, serverId: 0x42, running: true, additionalData: Buffer.from('Bifrost demo') }],
  [{ functionCode: 22, address: 4, andMask: 0xf2, orMask: 0x25 }, { functionCode: 22, address: 4, andMask: 0xf2, orMask: 0x25 }],
  [
    { functionCode: 23, address: 3, quantity: 6, writeAddress: 14, values: [255, 255, 255] },
    { functionCode: 23, registers: [0xfe, 0xacd, 1, 3, 0xd, 0xff] },
  ],
  [
    { functionCode: 43, deviceIdCode: 1, objectId: 0 },
    {
      functionCode: 43,
      deviceIdCode: 1,
      conformityLevel: 0x82,
      moreFollows: false,
      nextObjectId: 0,
      objects: [
        { id: 0, value: 'Bifrost' },
        { id: 1, value: 'BFR-SIM' },
        { id: 2, value: '1.0' },
      ],
    },
  ],
  [
    { functionCode: 43, deviceIdCode: 2, objectId: 3 },
    { functionCode: 43, deviceIdCode: 2, conformityLevel: 0x82, moreFollows: true, nextObjectId: 4, objects: [{ id: 3, value: 'u' }] },
  ],
];

/** Every exception code, answered to a read of holding registers. */
const EXCEPTION_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11];

interface Written {
  bytes: Buffer;
  direction: 'request' | 'response';
}

function buildCapture(): { pcap: Buffer; frames: Written[] } {
  const writer = new PcapWriter();
  const frames: Written[] = [];
  let transactionId = 1;
  const exchange = (requestPdu: Buffer, responsePdu: Buffer, unitId: number) => {
    const request = encodeMbapFrame({ transactionId, unitId, pdu: requestPdu });
    const response = encodeMbapFrame({ transactionId, unitId, pdu: responsePdu });
    writer.add(request, true);
    writer.add(response, false);
    frames.push({ bytes: request, direction: 'request' }, { bytes: response, direction: 'response' });
    transactionId += 257; // both bytes of the id change, so a byte-order slip shows
  };
  pairs.forEach(([request, response], index) => exchange(encodeRequest(request), encodeResponse(response), [1, 17, 255][index % 3]));
  for (const code of EXCEPTION_CODES) {
    exchange(encodeRequest({ functionCode: 3, address: 9000 + code, quantity: 2 }), encodeExceptionResponse(3, code), 1);
  }
  for (const functionCode of [6, 16, 22, 23, 43]) {
    const request: ModbusRequest = pairs.find(([candidate]) => candidate.functionCode === functionCode)![0];
    exchange(encodeRequest(request), encodeExceptionResponse(functionCode, 2), 1);
  }
  return { pcap: writer.toBuffer(), frames };
}

// ------------------------------------------------------------------ comparing

function flatten(fields: FrameField[]): FrameField[] {
  return fields.flatMap((field) => [field, ...flatten(field.children ?? [])]);
}

function values(frame: DecodedFrame, ...names: (string | RegExp)[]): number[] {
  return flatten(frame.fields)
    .filter((field) => names.some((name) => (typeof name === 'string' ? field.name === name : name.test(field.name))))
    .map((field) => Number(field.value));
}

/** What our decoder says for each tshark field, as numbers (or strings for object values). */
const FIELD_MAP: Record<string, (frame: DecodedFrame) => (number | string)[]> = {
  'mbtcp.trans_id': (frame) => [frame.transactionId!],
  'mbtcp.prot_id': (frame) => values(frame, 'Protocol id'),
  'mbtcp.len': (frame) => values(frame, 'Length'),
  'mbtcp.unit_id': (frame) => [frame.unitId!],
  'modbus.func_code': (frame) => [frame.functionCode! & 0x7f],
  'modbus.exception_code': (frame) => (frame.exceptionCode === undefined ? [] : [frame.exceptionCode]),
  'modbus.reference_num': (frame) => values(frame, 'Starting address', 'Output address', 'Register address', 'Reference address'),
  'modbus.word_cnt': (frame) => (isBits(frame) ? [] : values(frame, 'Quantity')),
  'modbus.bit_cnt': (frame) => (isBits(frame) ? values(frame, 'Quantity') : []),
  'modbus.byte_cnt': (frame) => values(frame, 'Byte count', 'Write byte count'),
  'modbus.read_reference_num': (frame) => values(frame, 'Read starting address'),
  'modbus.read_word_cnt': (frame) => values(frame, 'Read quantity'),
  'modbus.write_reference_num': (frame) => values(frame, 'Write starting address'),
  'modbus.write_word_cnt': (frame) => values(frame, 'Write quantity'),
  'modbus.regval_uint16': (frame) => values(frame, /^Register \d+$/),
  'modbus.and_mask': (frame) => values(frame, 'AND mask'),
  'modbus.or_mask': (frame) => values(frame, 'OR mask'),
  'modbus.diagnostic_code': (frame) => values(frame, 'Sub-function'),
  'modbus.ev_count': (frame) => values(frame, 'Event count'),
  'modbus.mei': (frame) => values(frame, 'MEI type'),
  'modbus.read_device_id': (frame) => values(frame, 'Read device id code'),
  'modbus.object_id': (frame) => values(frame, 'Object id'),
  'modbus.conformity_level': (frame) => values(frame, 'Conformity level'),
  'modbus.more_follows': (frame) => values(frame, 'More follows'),
  'modbus.next_object_id': (frame) => values(frame, 'Next object id'),
  'modbus.num_objects': (frame) => values(frame, 'Number of objects'),
  'modbus.objects_len': (frame) => values(frame, 'Object length'),
  'modbus.object_str_value': (frame) =>
    flatten(frame.fields)
      .filter((field) => field.name === 'Object value')
      .map((field) => String(field.value)),
};

function isBits(frame: DecodedFrame): boolean {
  return [1, 2, 5, 15].includes(frame.functionCode! & 0x7f);
}

function asComparable(raw: string, field: string): number | string {
  if (field === 'modbus.object_str_value') return raw;
  return Number(raw);
}

describe('frame decoder against tshark (Wireshark Modbus/TCP)', function () {
  let dir: string;
  let tshark: string;

  before(() => {
    tshark = requireTshark();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-tshark-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('agrees on function, transaction id, unit id, addresses, quantities, values and exception codes for every frame', async () => {
    const { pcap, frames } = buildCapture();
    const file = path.join(dir, 'modbus.pcap');
    fs.writeFileSync(file, pcap);
    const fieldArgs = Object.keys(FIELD_MAP).flatMap((field) => ['-e', field]);
    const { stdout } = await run(
      tshark,
      ['-r', file, '-o', 'mbtcp.tcp.port:502', '-d', 'tcp.port==502,mbtcp', '-T', 'json', ...fieldArgs],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const packets = JSON.parse(stdout) as { _source: { layers: Record<string, string[]> } }[];
    assert.equal(packets.length, frames.length, 'tshark saw every packet');

    let compared = 0;
    const checkedFields = new Set<string>();
    packets.forEach((packet, index) => {
      const layers = packet._source.layers;
      const { bytes, direction } = frames[index];
      const ours = decodeFrame(bytes, { framing: 'tcp', direction });
      assert.deepEqual(ours.problems, [], `frame ${index + 1}: ${ours.summary}`);
      assert.ok(layers['modbus.func_code'], `tshark decoded frame ${index + 1} (${ours.summary}) as Modbus`);
      for (const [field, ourValues] of Object.entries(FIELD_MAP)) {
        const theirs = layers[field];
        if (theirs === undefined) continue;
        const expected = theirs.map((raw) => asComparable(raw, field));
        assert.deepEqual(ourValues(ours), expected, `frame ${index + 1} (${ours.summary}): ${field}`);
        compared += expected.length;
        checkedFields.add(field);
      }
      // Fields we report that tshark must report too (so agreement is not vacuous).
      for (const field of ['mbtcp.trans_id', 'mbtcp.unit_id', 'modbus.func_code']) assert.ok(layers[field], `${field} in frame ${index + 1}`);
      if (ours.exceptionCode !== undefined) assert.ok(layers['modbus.exception_code'], `tshark's exception code, frame ${index + 1}`);
    });
    for (const field of [
      'modbus.reference_num',
      'modbus.word_cnt',
      'modbus.bit_cnt',
      'modbus.regval_uint16',
      'modbus.exception_code',
      'modbus.and_mask',
      'modbus.read_reference_num',
      'modbus.write_word_cnt',
      'modbus.diagnostic_code',
      'modbus.ev_count',
      'modbus.object_str_value',
    ]) {
      assert.ok(checkedFields.has(field), `tshark reported ${field} somewhere`);
    }
    assert.ok(compared > 150, `compared ${compared} values`);
  });
});

import assert from 'node:assert/strict';
import { DecodedFrame, type FrameField } from '../../../gateway/api/frames';
import { appendCrc } from '../../../gateway/protocol/crc16';
import { decodeFrame } from '../../../gateway/protocol/decoder';
import { lrc } from '../../../gateway/protocol/lrc';
import { encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { encodeRequest, type ModbusRequest } from '../../../gateway/protocol/requests';
import { encodeExceptionResponse, encodeResponse, type ModbusResponse } from '../../../gateway/protocol/responses';

const hex = (text: string) => Buffer.from(text.replace(/ /g, ''), 'hex');
const tcp = (pdu: Buffer, transactionId = 5, unitId = 1) => encodeMbapFrame({ transactionId, unitId, pdu });
const rtu = (pdu: Buffer, unitId = 1) => appendCrc(Buffer.concat([Buffer.of(unitId), pdu]));
const ascii = (pdu: Buffer, unitId = 1) => {
  const body = Buffer.concat([Buffer.of(unitId), pdu]);
  return Buffer.from(`:${Buffer.concat([body, Buffer.of(lrc(body))]).toString('hex').toUpperCase()}\r\n`, 'latin1');
};

/** Every field in the tree, depth first. */
function flatten(fields: FrameField[]): FrameField[] {
  return fields.flatMap((field) => [field, ...flatten(field.children ?? [])]);
}
function fieldValue(frame: DecodedFrame, name: string): FrameField['value'] | undefined {
  return flatten(frame.fields).find((field) => field.name === name)?.value;
}

const requests: ModbusRequest[] = [
  { functionCode: 1, address: 19, quantity: 19 },
  { functionCode: 2, address: 196, quantity: 22 },
  { functionCode: 3, address: 0, quantity: 10 },
  { functionCode: 4, address: 8, quantity: 1 },
  { functionCode: 5, address: 172, value: true },
  { functionCode: 6, address: 1, value: 3 },
  { functionCode: 7 },
  { functionCode: 8, subFunction: 0, data: [0xa537] },
  { functionCode: 11 },
  { functionCode: 15, address: 19, values: [true, false, true, true, false, false, true, true, true, false] },
  { functionCode: 16, address: 1, values: [10, 258] },
  { functionCode: 17 },
  { functionCode: 22, address: 4, andMask: 0xf2, orMask: 0x25 },
  { functionCode: 23, address: 3, quantity: 6, writeAddress: 14, values: [255, 255, 255] },
  { functionCode: 43, deviceIdCode: 1, objectId: 0 },
];
const responses: ModbusResponse[] = [
  { functionCode: 1, bits: [true, false, true] },
  { functionCode: 3, registers: [0x022b, 0, 100] },
  { functionCode: 5, address: 172, value: true },
  { functionCode: 7, status: 0x6d },
  { functionCode: 8, subFunction: 0, data: [0xa537] },
  { functionCode: 11, status: 0, eventCount: 264 },
  { functionCode: 16, address: 1, quantity: 2 },
  { functionCode: 17, serverId: 0x42, running: true, additionalData: Buffer.from('Bifrost demo') },
  { functionCode: 22, address: 4, andMask: 0xf2, orMask: 0x25 },
  { functionCode: 23, registers: [1, 2] },
  {
    functionCode: 43,
    deviceIdCode: 1,
    conformityLevel: 0x82,
    moreFollows: false,
    nextObjectId: 0,
    objects: [{ id: 0, value: 'Bifrost' }, { id: 1, value: 'BFR-SIM' }],
  },
];

describe('frame decoder', () => {
  describe('good frames in each framing', () => {
    for (const [framing, wrap] of [['tcp', tcp], ['rtu', rtu], ['ascii', ascii]] as const) {
      it(`${framing}: every request and response decodes without problems and fits the contract`, () => {
        for (const request of requests) {
          const frame = decodeFrame(wrap(encodeRequest(request)), { framing, direction: 'request' });
          assert.deepEqual(frame.problems, [], `FC ${request.functionCode} request: ${frame.summary}`);
          assert.equal(frame.functionCode, request.functionCode);
          assert.equal(frame.unitId, 1);
          DecodedFrame.parse(frame);
        }
        for (const response of responses) {
          const frame = decodeFrame(wrap(encodeResponse(response)), { framing, direction: 'response' });
          assert.deepEqual(frame.problems, [], `FC ${response.functionCode} response: ${frame.summary}`);
          DecodedFrame.parse(frame);
        }
      });
    }

    it('summarises a read in one line, with unit and transaction', () => {
      const frame = decodeFrame(tcp(hex('03 0000 000a')), { framing: 'tcp', direction: 'request' });
      assert.equal(frame.summary, 'Read Holding Registers 0–9 (10) unit 1 transaction 5');
      assert.equal(frame.transactionId, 5);
    });

    it('places fields at their byte offsets, MBAP header first', () => {
      const frame = decodeFrame(tcp(hex('03 006b 0003')), { framing: 'tcp', direction: 'request' });
      const byName = new Map(flatten(frame.fields).map((field) => [field.name, field]));
      assert.deepEqual(pick(byName.get('Transaction id')), [0, 2, 5]);
      assert.deepEqual(pick(byName.get('Unit id')), [6, 1, 1]);
      assert.deepEqual(pick(byName.get('Function code')), [7, 1, 3]);
      assert.equal(byName.get('Function code')?.meaning, 'Read Holding Registers');
      assert.deepEqual(pick(byName.get('Starting address')), [8, 2, 107]);
      assert.deepEqual(pick(byName.get('Quantity')), [10, 2, 3]);
    });

    it('in ASCII, points offsets at the characters', () => {
      const frame = decodeFrame(ascii(hex('03 0000 0001')), { framing: 'ascii', direction: 'request' });
      const byName = new Map(flatten(frame.fields).map((field) => [field.name, field]));
      assert.deepEqual(pick(byName.get('Unit id')), [1, 2, 1]);
      assert.deepEqual(pick(byName.get('Function code')), [3, 2, 3]);
      assert.deepEqual(pick(byName.get('Quantity')), [9, 4, 1]);
      assert.equal(byName.get('LRC')?.meaning, 'correct');
    });

    it('names register values by address in a write and every device id object', () => {
      const write = decodeFrame(tcp(encodeRequest({ functionCode: 16, address: 40, values: [7, 8] })), { framing: 'tcp', direction: 'request' });
      assert.equal(fieldValue(write, 'Register 41'), 8);
      const identity = decodeFrame(tcp(encodeResponse(responses[10])), { framing: 'tcp', direction: 'response' });
      assert.equal(fieldValue(identity, 'Object 0x01'), 'BFR-SIM');
      assert.match(identity.summary, /VendorName, ProductCode/);
    });

    it('decodes every exception 01–0B with its name', () => {
      for (const code of [1, 2, 3, 4, 5, 6, 7, 8, 10, 11]) {
        const frame = decodeFrame(rtu(encodeExceptionResponse(3, code)), { framing: 'rtu' });
        assert.equal(frame.direction, 'response');
        assert.equal(frame.exceptionCode, code);
        assert.deepEqual(frame.problems, []);
      }
      const frame = decodeFrame(tcp(hex('83 02')), { framing: 'tcp' });
      assert.match(frame.summary, /^Read Holding Registers exception 02 \(illegal data address\)/);
    });
  });

  describe('direction', () => {
    it('infers a response from its length and says so', () => {
      const frame = decodeFrame(rtu(hex('03 06 022b 0000 0064')), { framing: 'rtu' });
      assert.equal(frame.direction, 'response');
      assert.equal(frame.directionInferred, true);
      assert.match(frame.summary, /direction inferred: response/);
    });
    it('infers a request from its length', () => {
      const frame = decodeFrame(rtu(hex('03 0000 000a')), { framing: 'rtu' });
      assert.equal(frame.direction, 'request');
      assert.deepEqual(frame.problems, []);
    });
    it('keeps a given direction and reports what does not fit it', () => {
      const frame = decodeFrame(rtu(hex('03 0000 000a')), { framing: 'rtu', direction: 'response' });
      assert.equal(frame.directionInferred, false);
      assert.ok(frame.problems.some((problem) => /byte count mismatch/.test(problem)), frame.problems.join('; '));
    });
  });

  describe('broken frames never throw and say what is wrong', () => {
    it('bad CRC: expected vs found', () => {
      const frame = decodeFrame(hex('01 03 0000 000a 0000'), { framing: 'rtu' });
      assert.deepEqual(frame.problems, ['bad CRC: expected 0xCDC5 (C5 CD on the wire), found 0x0000 (00 00)']);
    });
    it('bad LRC', () => {
      const frame = decodeFrame(Buffer.from(':010300000001FA\r\n', 'latin1'), { framing: 'ascii' });
      assert.deepEqual(frame.problems, ['bad LRC: expected 0xFB, found 0xFA']);
    });
    it('ASCII without colon, CR LF or with a non-hex character', () => {
      const frame = decodeFrame(Buffer.from('010300000001FB', 'latin1'), { framing: 'ascii' });
      assert.ok(frame.problems.some((problem) => /starts with ':'/.test(problem)));
      assert.ok(frame.problems.some((problem) => /CR LF/.test(problem)));
      const bad = decodeFrame(Buffer.from(':0103G0000001FB\r\n', 'latin1'), { framing: 'ascii' });
      assert.ok(bad.problems.some((problem) => /"G" at offset 5 is not a hex digit/.test(problem)), bad.problems.join('; '));
    });
    it('truncated frames in every framing', () => {
      for (const [framing, bytes] of [
        ['tcp', hex('0001 0000')],
        ['tcp', hex('0001 0000 0006 01 03 00')],
        ['rtu', hex('01 03')],
        ['ascii', Buffer.from(':01\r\n')],
        ['tcp', Buffer.alloc(0)],
      ] as const) {
        const frame = decodeFrame(bytes, { framing });
        assert.ok(frame.problems.some((problem) => /truncated/.test(problem)), `${framing} ${bytes.toString('hex')}: ${frame.problems.join('; ')}`);
        DecodedFrame.parse(frame);
      }
    });
    it('a request cut inside its fields names the field', () => {
      const frame = decodeFrame(rtu(hex('03 0000 00')), { framing: 'rtu', direction: 'request' });
      assert.deepEqual(frame.problems, ['truncated: Quantity needs 2 bytes, only 1 left']);
    });
    it('MBAP length mismatch and protocol id ≠ 0', () => {
      const long = decodeFrame(hex('0001 0000 0006 01 03 0000 000a ffff'), { framing: 'tcp' });
      assert.ok(long.problems.some((problem) => /MBAP length mismatch: the length field says 6 bytes follow it, 8 do/.test(problem)));
      assert.equal(long.summary.startsWith('Read Holding Registers 0–9 (10)'), true, long.summary);
      const protocol = decodeFrame(hex('0001 0001 0006 01 03 0000 000a'), { framing: 'tcp' });
      assert.ok(protocol.problems.some((problem) => /protocol id 1 ≠ 0/.test(problem)));
    });
    it('unknown function', () => {
      const frame = decodeFrame(tcp(hex('44 0102')), { framing: 'tcp' });
      assert.ok(frame.problems.includes('unknown function code 68 (0x44)'), frame.problems.join('; '));
      assert.equal(fieldValue(frame, 'Data'), '01 02');
    });
    it('byte count mismatch and limits', () => {
      const count = decodeFrame(tcp(hex('03 06 0001 0002')), { framing: 'tcp', direction: 'response' });
      assert.ok(count.problems.some((problem) => /byte count 6, 4 data bytes follow/.test(problem)), count.problems.join('; '));
      const limit = decodeFrame(tcp(hex('03 0000 007e')), { framing: 'tcp', direction: 'request' });
      assert.ok(limit.problems.some((problem) => /limit readRegisters/.test(problem)));
    });
    it('random bytes in every framing and direction', () => {
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      for (let round = 0; round < 500; round++) {
        const bytes = Buffer.from(Array.from({ length: random() % 40 }, random));
        for (const framing of ['tcp', 'rtu', 'ascii'] as const) {
          for (const direction of ['request', 'response', 'unknown'] as const) {
            DecodedFrame.parse(decodeFrame(bytes, { framing, direction }));
          }
        }
      }
    });
  });
});

function pick(field: FrameField | undefined): [number, number, FrameField['value']] | undefined {
  return field && [field.offset, field.length, field.value];
}

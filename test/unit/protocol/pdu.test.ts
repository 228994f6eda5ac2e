import assert from 'node:assert/strict';
import { FrameError, ProtocolLimitError } from '../../../gateway/protocol/errors';
import { exceptionName } from '../../../gateway/protocol/exceptions';
import { FunctionCode } from '../../../gateway/protocol/functionCodes';
import { decodeRequest, encodeRequest, type ModbusRequest } from '../../../gateway/protocol/requests';
import {
  decodeResponse,
  encodeExceptionResponse,
  encodeResponse,
  isExceptionResponse,
  type ModbusResponse,
} from '../../../gateway/protocol/responses';

const cases: { request: ModbusRequest; requestHex: string; response: ModbusResponse; responseHex: string }[] = [
  {
    request: { functionCode: FunctionCode.ReadCoils, address: 19, quantity: 19 },
    requestHex: '0100130013',
    // Modbus spec §6.1 example: coils 20–38 = CD 6B 05.
    response: {
      functionCode: FunctionCode.ReadCoils,
      bits: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1].map(Boolean),
    },
    responseHex: '0103cd6b05',
  },
  {
    request: { functionCode: FunctionCode.ReadDiscreteInputs, address: 196, quantity: 3 },
    requestHex: '0200c40003',
    response: { functionCode: FunctionCode.ReadDiscreteInputs, bits: [true, false, true] },
    responseHex: '020105',
  },
  {
    request: { functionCode: FunctionCode.ReadHoldingRegisters, address: 107, quantity: 3 },
    requestHex: '03006b0003',
    response: { functionCode: FunctionCode.ReadHoldingRegisters, registers: [0x022b, 0x0000, 0x0064] },
    responseHex: '0306022b00000064',
  },
  {
    request: { functionCode: FunctionCode.ReadInputRegisters, address: 8, quantity: 1 },
    requestHex: '0400080001',
    response: { functionCode: FunctionCode.ReadInputRegisters, registers: [10] },
    responseHex: '0402000a',
  },
  {
    request: { functionCode: FunctionCode.WriteSingleCoil, address: 172, value: true },
    requestHex: '0500acff00',
    response: { functionCode: FunctionCode.WriteSingleCoil, address: 172, value: true },
    responseHex: '0500acff00',
  },
  {
    request: { functionCode: FunctionCode.WriteSingleRegister, address: 1, value: 3 },
    requestHex: '0600010003',
    response: { functionCode: FunctionCode.WriteSingleRegister, address: 1, value: 3 },
    responseHex: '0600010003',
  },
  {
    request: {
      functionCode: FunctionCode.WriteMultipleCoils,
      address: 19,
      values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0].map(Boolean),
    },
    requestHex: '0f0013000a02cd01',
    response: { functionCode: FunctionCode.WriteMultipleCoils, address: 19, quantity: 10 },
    responseHex: '0f0013000a',
  },
  {
    request: { functionCode: FunctionCode.WriteMultipleRegisters, address: 1, values: [0x000a, 0x0102] },
    requestHex: '100001000204000a0102',
    response: { functionCode: FunctionCode.WriteMultipleRegisters, address: 1, quantity: 2 },
    responseHex: '1000010002',
  },
  {
    request: { functionCode: FunctionCode.ReadExceptionStatus },
    requestHex: '07',
    response: { functionCode: FunctionCode.ReadExceptionStatus, status: 0x6d },
    responseHex: '076d',
  },
  {
    // Spec §6.8 example: return query data A5 37.
    request: { functionCode: FunctionCode.Diagnostics, subFunction: 0, data: [0xa537] },
    requestHex: '080000a537',
    response: { functionCode: FunctionCode.Diagnostics, subFunction: 0, data: [0xa537] },
    responseHex: '080000a537',
  },
  {
    request: { functionCode: FunctionCode.GetCommEventCounter },
    requestHex: '0b',
    response: { functionCode: FunctionCode.GetCommEventCounter, status: 0xffff, eventCount: 0x0108 },
    responseHex: '0bffff0108',
  },
  {
    request: { functionCode: FunctionCode.ReportServerId },
    requestHex: '11',
    response: { functionCode: FunctionCode.ReportServerId, serverId: 0x42, running: true, additionalData: Buffer.from('Bifrost demo') },
    responseHex: '110e42ff' + Buffer.from('Bifrost demo').toString('hex'),
  },
  {
    // Spec §6.16 example.
    request: { functionCode: FunctionCode.MaskWriteRegister, address: 4, andMask: 0x00f2, orMask: 0x0025 },
    requestHex: '16000400f20025',
    response: { functionCode: FunctionCode.MaskWriteRegister, address: 4, andMask: 0x00f2, orMask: 0x0025 },
    responseHex: '16000400f20025',
  },
  {
    // Spec §6.17 example.
    request: {
      functionCode: FunctionCode.ReadWriteMultipleRegisters,
      address: 3,
      quantity: 6,
      writeAddress: 14,
      values: [0x00ff, 0x00ff, 0x00ff],
    },
    requestHex: '1700030006000e00030600ff00ff00ff',
    response: {
      functionCode: FunctionCode.ReadWriteMultipleRegisters,
      registers: [0x00fe, 0x0acd, 0x0001, 0x0003, 0x000d, 0x00ff],
    },
    responseHex: '170c00fe0acd00010003000d00ff',
  },
  {
    // Spec §6.21 example, basic stream from object 0.
    request: { functionCode: FunctionCode.EncapsulatedInterface, deviceIdCode: 1, objectId: 0 },
    requestHex: '2b0e0100',
    response: {
      functionCode: FunctionCode.EncapsulatedInterface,
      deviceIdCode: 1,
      conformityLevel: 0x01,
      moreFollows: false,
      nextObjectId: 0,
      objects: [
        { id: 0, value: 'Company identification' },
        { id: 1, value: 'Product code XX' },
        { id: 2, value: 'V2.11' },
      ],
    },
    responseHex:
      '2b0e010100000300' + '16' + Buffer.from('Company identification').toString('hex') +
      '010f' + Buffer.from('Product code XX').toString('hex') + '0205' + Buffer.from('V2.11').toString('hex'),
  },
  {
    request: { functionCode: FunctionCode.EncapsulatedInterface, deviceIdCode: 2, objectId: 3 },
    requestHex: '2b0e0203',
    response: {
      functionCode: FunctionCode.EncapsulatedInterface,
      deviceIdCode: 2,
      conformityLevel: 0x82,
      moreFollows: true,
      nextObjectId: 4,
      objects: [{ id: 3, value: 'u' }],
    },
    responseHex: '2b0e0282ff0401030175',
  },
];

describe('PDU codec', () => {
  for (const { request, requestHex, response, responseHex } of cases) {
    describe(`FC ${request.functionCode}`, () => {
      it('encodes the request as the spec example', () => {
        assert.equal(encodeRequest(request).toString('hex'), requestHex);
      });
      it('decodes the request back (server side)', () => {
        assert.deepEqual(decodeRequest(Buffer.from(requestHex, 'hex')), { ok: true, request });
      });
      it('encodes the response and decodes it against the request', () => {
        assert.equal(encodeResponse(response).toString('hex'), responseHex);
        assert.deepEqual(decodeResponse(Buffer.from(responseHex, 'hex'), request), response);
      });
    });
  }

  it('decodes every exception code 01–0B and names it', () => {
    const names: Record<number, string> = {
      1: 'illegal function',
      2: 'illegal data address',
      3: 'illegal data value',
      4: 'server device failure',
      5: 'acknowledge',
      6: 'server device busy',
      7: 'negative acknowledge',
      8: 'memory parity error',
      10: 'gateway path unavailable',
      11: 'gateway target device failed to respond',
    };
    for (const [code, name] of Object.entries(names)) {
      for (const request of cases.map((entry) => entry.request)) {
        const decoded = decodeResponse(encodeExceptionResponse(request.functionCode, Number(code)), request);
        assert.deepEqual(decoded, { functionCode: request.functionCode, exceptionCode: Number(code) });
      }
      assert.equal(exceptionName(Number(code)), name);
    }
  });

  it('decodes an exception response with its code and name', () => {
    const request: ModbusRequest = { functionCode: 3, address: 0, quantity: 10 };
    const pdu = encodeExceptionResponse(3, 2);
    assert.equal(pdu.toString('hex'), '8302');
    const decoded = decodeResponse(pdu, request);
    assert.ok(isExceptionResponse(decoded));
    assert.equal(decoded.exceptionCode, 2);
    assert.equal(exceptionName(decoded.exceptionCode), 'illegal data address');
    assert.equal(exceptionName(0x0b), 'gateway target device failed to respond');
  });

  describe('spec limits', () => {
    const limitCases: [string, ModbusRequest, string][] = [
      ['126 registers read', { functionCode: 3, address: 0, quantity: 126 }, 'readRegisters'],
      ['124 registers written', { functionCode: 16, address: 0, values: new Array(124).fill(0) }, 'writeRegisters'],
      ['2001 bits read', { functionCode: 1, address: 0, quantity: 2001 }, 'readBits'],
      ['1969 coils written', { functionCode: 15, address: 0, values: new Array(1969).fill(false) }, 'writeBits'],
      ['126 registers read by FC 23', { functionCode: 23, address: 0, quantity: 126, writeAddress: 0, values: [1] }, 'readRegisters'],
      [
        '122 registers written by FC 23',
        { functionCode: 23, address: 0, quantity: 1, writeAddress: 0, values: new Array(122).fill(0) },
        'readWriteRegisters',
      ],
      ['126 words of diagnostic data', { functionCode: 8, subFunction: 0, data: new Array(126).fill(0) }, 'pduLength'],
    ];
    for (const [what, request, limit] of limitCases) {
      it(`refuses ${what} with an error naming the ${limit} limit`, () => {
        assert.throws(
          () => encodeRequest(request),
          (error: unknown) =>
            error instanceof ProtocolLimitError &&
            error.limit === limit &&
            error.message.includes(`limit ${limit}`) &&
            error.message.includes(`at most ${error.maximum}`),
        );
      });
    }
    it('accepts exactly the limits', () => {
      encodeRequest({ functionCode: 3, address: 0, quantity: 125 });
      encodeRequest({ functionCode: 16, address: 0, values: new Array(123).fill(0) });
      encodeRequest({ functionCode: 2, address: 0, quantity: 2000 });
      encodeRequest({ functionCode: 15, address: 0, values: new Array(1968).fill(true) });
      encodeRequest({ functionCode: 23, address: 0, quantity: 125, writeAddress: 0, values: new Array(121).fill(0) });
      encodeRequest({ functionCode: 8, subFunction: 0, data: new Array(125).fill(0) });
    });
    it('refuses a request running past address 65535 and a register value over 16 bits', () => {
      assert.throws(() => encodeRequest({ functionCode: 3, address: 65535, quantity: 2 }), RangeError);
      assert.throws(() => encodeRequest({ functionCode: 6, address: 0, value: 65536 }), RangeError);
    });
  });

  describe('server-side request decoding', () => {
    it('answers an unknown function, MEI type or diagnostic sub-function with exception 01', () => {
      assert.deepEqual(decodeRequest(Buffer.from('2c0e0100', 'hex')), {
        ok: false,
        // Unsupported, not malformed: a proxy forwards it to the device (opaque.ts).
        rejection: { functionCode: 0x2c, exceptionCode: 1, reason: 'function code 44 is not supported', unsupported: true },
      });
      for (const hex of ['2b0d0100', '0800010000']) {
        const result = decodeRequest(Buffer.from(hex, 'hex'));
        assert.ok(!result.ok && result.rejection.exceptionCode === 1 && result.rejection.unsupported, hex);
      }
    });
    it('answers malformed new-function requests with exception 03', () => {
      // FC 7 with data, FC 22 short, FC 23 write quantity 122 and byte count mismatch, 43/14 code 5.
      for (const hex of ['0700', '160004', '17000000010000007af4', '170000000100000002030001', '2b0e0500']) {
        const result = decodeRequest(Buffer.from(hex, 'hex'));
        assert.ok(!result.ok && result.rejection.exceptionCode === 3, hex);
      }
    });
    it('answers a bad quantity with exception 03', () => {
      for (const hex of ['0300000000', '030000007e', '01000007d1', '0f0000000000']) {
        const result = decodeRequest(Buffer.from(hex, 'hex'));
        assert.equal(result.ok, false, hex);
        if (!result.ok) assert.equal(result.rejection.exceptionCode, 3, hex);
      }
    });
    it('answers a coil value other than FF00/0000 with exception 03', () => {
      const result = decodeRequest(Buffer.from('0500011234', 'hex'));
      assert.ok(!result.ok && result.rejection.exceptionCode === 3);
    });
    it('answers a byte count that disagrees with the quantity with exception 03', () => {
      const result = decodeRequest(Buffer.from('100001000203000a01', 'hex'));
      assert.ok(!result.ok && result.rejection.exceptionCode === 3);
    });
  });

  describe('client-side response checks', () => {
    const request: ModbusRequest = { functionCode: 3, address: 0, quantity: 10 };
    it('says what byte count it expected', () => {
      assert.throws(
        () => decodeResponse(Buffer.from('0312' + '00'.repeat(18), 'hex'), request, { device: 'Demo', unitId: 1 }),
        (error: unknown) =>
          error instanceof FrameError &&
          error.message === 'Demo: bad reply from unit 1 to read holding registers 0–9: expected 20 data bytes, got a byte count of 18',
      );
    });
    it('rejects a reply to another function', () => {
      assert.throws(() => decodeResponse(Buffer.from('0402000a', 'hex'), request), /expected function code 3, got 4/);
    });
    it('rejects a diagnostics reply that does not echo the query data', () => {
      const diagnostics: ModbusRequest = { functionCode: 8, subFunction: 0, data: [0xa537] };
      assert.throws(() => decodeResponse(Buffer.from('0800001234', 'hex'), diagnostics), /echo of the query data/);
    });
    it('rejects a device identification reply for another access code or with a cut object', () => {
      const identify: ModbusRequest = { functionCode: 43, deviceIdCode: 1, objectId: 0 };
      assert.throws(() => decodeResponse(Buffer.from('2b0e020100000100034142', 'hex'), identify), /device id code 1, got 2/);
      assert.throws(() => decodeResponse(Buffer.from('2b0e010100000100054142', 'hex'), identify), /5 bytes of object 0/);
    });
    it('rejects a write echo that does not match', () => {
      const write: ModbusRequest = { functionCode: 6, address: 1, value: 3 };
      assert.throws(() => decodeResponse(Buffer.from('0600010004', 'hex'), write), /echo of register 1 = 3/);
    });
  });
});

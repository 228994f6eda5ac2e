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
    });
    it('refuses a request running past address 65535 and a register value over 16 bits', () => {
      assert.throws(() => encodeRequest({ functionCode: 3, address: 65535, quantity: 2 }), RangeError);
      assert.throws(() => encodeRequest({ functionCode: 6, address: 0, value: 65536 }), RangeError);
    });
  });

  describe('server-side request decoding', () => {
    it('answers an unknown function with exception 01', () => {
      assert.deepEqual(decodeRequest(Buffer.from('2b0e0100', 'hex')), {
        ok: false,
        rejection: { functionCode: 0x2b, exceptionCode: 1, reason: 'function code 43 is not supported' },
      });
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
    it('rejects a write echo that does not match', () => {
      const write: ModbusRequest = { functionCode: 6, address: 1, value: 3 };
      assert.throws(() => decodeResponse(Buffer.from('0600010004', 'hex'), write), /echo of register 1 = 3/);
    });
  });
});

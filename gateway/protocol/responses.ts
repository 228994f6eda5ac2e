/**
 * Response PDUs, both directions. The client side decodes a reply *against the
 * request it answers*, so a reply with the wrong function, byte count or echo is
 * caught here as a FrameError instead of turning into wrong values downstream.
 */
import { byteCountForBits, packBits, unpackBits } from './bits';
import { FrameError, type RequestContext } from './errors';
import { EXCEPTION_FLAG, FunctionCode } from './functionCodes';
import { COIL_OFF, COIL_ON, requestContext, type ModbusRequest, type ReadFunctionCode } from './requests';

export interface ReadBitsResponse {
  functionCode: typeof FunctionCode.ReadCoils | typeof FunctionCode.ReadDiscreteInputs;
  bits: boolean[];
}

export interface ReadRegistersResponse {
  functionCode: typeof FunctionCode.ReadHoldingRegisters | typeof FunctionCode.ReadInputRegisters;
  registers: number[];
}

export interface WriteSingleCoilResponse {
  functionCode: typeof FunctionCode.WriteSingleCoil;
  address: number;
  value: boolean;
}

export interface WriteSingleRegisterResponse {
  functionCode: typeof FunctionCode.WriteSingleRegister;
  address: number;
  value: number;
}

export interface WriteMultipleResponse {
  functionCode: typeof FunctionCode.WriteMultipleCoils | typeof FunctionCode.WriteMultipleRegisters;
  address: number;
  quantity: number;
}

export type ModbusResponse =
  | ReadBitsResponse
  | ReadRegistersResponse
  | WriteSingleCoilResponse
  | WriteSingleRegisterResponse
  | WriteMultipleResponse;

/** An exception reply: the request's function code (without the 0x80 flag) and the code. */
export interface ExceptionResponse {
  functionCode: number;
  exceptionCode: number;
}

export function isExceptionResponse(response: ModbusResponse | ExceptionResponse): response is ExceptionResponse {
  return 'exceptionCode' in response;
}

/**
 * The response a request expects, by function code: ResponseFor<3> is
 * ReadRegistersResponse (whose functionCode is 3 | 4), ResponseFor<1 | 3> both.
 */
export type ResponseFor<F extends number> = ModbusResponse extends infer R
  ? R extends { functionCode: infer C }
    ? F extends C
      ? R
      : never
    : never
  : never;

export function encodeResponse(response: ModbusResponse): Buffer {
  switch (response.functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs: {
      const packed = packBits(response.bits);
      return Buffer.concat([Buffer.of(response.functionCode, packed.length), packed]);
    }
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters: {
      const buffer = Buffer.alloc(2 + response.registers.length * 2);
      buffer[0] = response.functionCode;
      buffer[1] = response.registers.length * 2;
      response.registers.forEach((value, index) => buffer.writeUInt16BE(value, 2 + index * 2));
      return buffer;
    }
    case FunctionCode.WriteSingleCoil:
      return fixed(response.functionCode, response.address, response.value ? COIL_ON : COIL_OFF);
    case FunctionCode.WriteSingleRegister:
      return fixed(response.functionCode, response.address, response.value);
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
      return fixed(response.functionCode, response.address, response.quantity);
  }
}

export function encodeExceptionResponse(functionCode: number, exceptionCode: number): Buffer {
  return Buffer.of((functionCode | EXCEPTION_FLAG) & 0xff, exceptionCode);
}

function fixed(functionCode: number, first: number, second: number): Buffer {
  const buffer = Buffer.alloc(5);
  buffer[0] = functionCode;
  buffer.writeUInt16BE(first, 1);
  buffer.writeUInt16BE(second, 3);
  return buffer;
}

/**
 * Decode a reply PDU for `request`. Returns the typed response or the exception the
 * device sent; throws FrameError when the bytes do not answer this request.
 * `where` adds the device and unit to error messages.
 */
export function decodeResponse(
  pdu: Buffer,
  request: ModbusRequest,
  where: Pick<RequestContext, 'device' | 'unitId'> = {},
): ModbusResponse | ExceptionResponse {
  const context: RequestContext = { ...where, ...requestContext(request) };
  const fail = (expected: string, actual?: string): never => {
    throw new FrameError(context, expected, actual);
  };
  if (pdu.length === 0) fail('a function code', 'an empty PDU');
  const functionCode = pdu[0];
  if (functionCode === (request.functionCode | EXCEPTION_FLAG)) {
    if (pdu.length !== 2) fail('a 2-byte exception PDU', `${pdu.length} bytes`);
    return { functionCode: request.functionCode, exceptionCode: pdu[1] };
  }
  if (functionCode !== request.functionCode) fail(`function code ${request.functionCode}`, `${functionCode}`);

  switch (request.functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
      return decodeReadResponse(pdu, request.functionCode, request.quantity, fail);
    case FunctionCode.WriteSingleCoil: {
      checkLength(pdu, 5, fail);
      const address = pdu.readUInt16BE(1);
      const raw = pdu.readUInt16BE(3);
      const expectedRaw = request.value ? COIL_ON : COIL_OFF;
      if (address !== request.address || raw !== expectedRaw) {
        fail(`an echo of coil ${request.address} = 0x${hex(expectedRaw)}`, `coil ${address} = 0x${hex(raw)}`);
      }
      return { functionCode: request.functionCode, address, value: raw === COIL_ON };
    }
    case FunctionCode.WriteSingleRegister: {
      checkLength(pdu, 5, fail);
      const address = pdu.readUInt16BE(1);
      const value = pdu.readUInt16BE(3);
      if (address !== request.address || value !== request.value) {
        fail(`an echo of register ${request.address} = ${request.value}`, `register ${address} = ${value}`);
      }
      return { functionCode: request.functionCode, address, value };
    }
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters: {
      checkLength(pdu, 5, fail);
      const address = pdu.readUInt16BE(1);
      const quantity = pdu.readUInt16BE(3);
      if (address !== request.address || quantity !== request.values.length) {
        fail(`an echo of address ${request.address} quantity ${request.values.length}`, `address ${address} quantity ${quantity}`);
      }
      return { functionCode: request.functionCode, address, quantity };
    }
  }
}

function decodeReadResponse(
  pdu: Buffer,
  functionCode: ReadFunctionCode,
  quantity: number,
  fail: (expected: string, actual?: string) => never,
): ModbusResponse {
  const registers = functionCode === FunctionCode.ReadHoldingRegisters || functionCode === FunctionCode.ReadInputRegisters;
  const expectedBytes = registers ? quantity * 2 : byteCountForBits(quantity);
  if (pdu.length < 2) fail(`a byte count of ${expectedBytes}`, 'none');
  if (pdu[1] !== expectedBytes) fail(`${expectedBytes} data bytes`, `a byte count of ${pdu[1]}`);
  if (pdu.length !== 2 + expectedBytes) fail(`${expectedBytes} data bytes`, `${pdu.length - 2}`);
  const data = pdu.subarray(2);
  if (functionCode === FunctionCode.ReadHoldingRegisters || functionCode === FunctionCode.ReadInputRegisters) {
    const values: number[] = new Array(quantity);
    for (let index = 0; index < quantity; index++) values[index] = data.readUInt16BE(index * 2);
    return { functionCode, registers: values };
  }
  return { functionCode, bits: unpackBits(data, quantity) };
}

function checkLength(pdu: Buffer, expected: number, fail: (expected: string, actual?: string) => never): void {
  if (pdu.length !== expected) fail(`a ${expected}-byte PDU`, `${pdu.length} bytes`);
}

function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

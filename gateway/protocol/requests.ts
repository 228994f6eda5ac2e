/**
 * Request PDUs (function code + data) for the function codes the gateway speaks,
 * in both directions: the engine encodes them, the simulator and (later) the proxy
 * decode them.
 */
import { byteCountForBits, packBits, unpackBits } from './bits';
import { ProtocolLimitError, type RequestContext } from './errors';
import { ExceptionCode } from './exceptions';
import { FunctionCode, isKnownFunctionCode } from './functionCodes';
import { ADDRESS_SPACE, LIMITS, type LimitName } from './limits';

export type ReadFunctionCode =
  | typeof FunctionCode.ReadCoils
  | typeof FunctionCode.ReadDiscreteInputs
  | typeof FunctionCode.ReadHoldingRegisters
  | typeof FunctionCode.ReadInputRegisters;

export interface ReadRequest {
  functionCode: ReadFunctionCode;
  address: number;
  quantity: number;
}

export interface WriteSingleCoilRequest {
  functionCode: typeof FunctionCode.WriteSingleCoil;
  address: number;
  value: boolean;
}

export interface WriteSingleRegisterRequest {
  functionCode: typeof FunctionCode.WriteSingleRegister;
  address: number;
  value: number;
}

export interface WriteMultipleCoilsRequest {
  functionCode: typeof FunctionCode.WriteMultipleCoils;
  address: number;
  values: boolean[];
}

export interface WriteMultipleRegistersRequest {
  functionCode: typeof FunctionCode.WriteMultipleRegisters;
  address: number;
  values: number[];
}

export type ModbusRequest =
  | ReadRequest
  | WriteSingleCoilRequest
  | WriteSingleRegisterRequest
  | WriteMultipleCoilsRequest
  | WriteMultipleRegistersRequest;

/** FC 5 encodes ON and OFF as these two values; anything else is illegal. */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;

export function isReadRequest(request: ModbusRequest): request is ReadRequest {
  return request.functionCode >= FunctionCode.ReadCoils && request.functionCode <= FunctionCode.ReadInputRegisters;
}

/** How many registers or bits the request touches. */
export function requestQuantity(request: ModbusRequest): number {
  switch (request.functionCode) {
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
      return 1;
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
      return request.values.length;
    default:
      return request.quantity;
  }
}

export function requestContext(request: ModbusRequest): RequestContext {
  return { functionCode: request.functionCode, address: request.address, quantity: requestQuantity(request) };
}

function quantityLimit(functionCode: number): LimitName | undefined {
  switch (functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
      return 'readBits';
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
      return 'readRegisters';
    case FunctionCode.WriteMultipleCoils:
      return 'writeBits';
    case FunctionCode.WriteMultipleRegisters:
      return 'writeRegisters';
    default:
      return undefined;
  }
}

function checkRequest(request: ModbusRequest): void {
  const context = requestContext(request);
  const quantity = context.quantity ?? 1;
  if (!Number.isInteger(request.address) || request.address < 0 || request.address >= ADDRESS_SPACE) {
    throw new RangeError(`address ${request.address} is outside 0..65535`);
  }
  const limit = quantityLimit(request.functionCode);
  if (limit !== undefined) {
    if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`quantity ${quantity} must be at least 1`);
    if (quantity > LIMITS[limit]) throw new ProtocolLimitError(context, limit, quantity);
  }
  if (request.address + quantity > ADDRESS_SPACE) {
    throw new RangeError(`address ${request.address} + quantity ${quantity} runs past 65535`);
  }
  const registers =
    request.functionCode === FunctionCode.WriteSingleRegister
      ? [request.value]
      : request.functionCode === FunctionCode.WriteMultipleRegisters
        ? request.values
        : [];
  for (const value of registers) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new RangeError(`register value ${value} is not a 16-bit unsigned integer`);
    }
  }
}

/** Encode a request PDU. Throws ProtocolLimitError or RangeError for requests the spec forbids. */
export function encodeRequest(request: ModbusRequest): Buffer {
  checkRequest(request);
  switch (request.functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
      return pdu(request.functionCode, request.address, request.quantity);
    case FunctionCode.WriteSingleCoil:
      return pdu(request.functionCode, request.address, request.value ? COIL_ON : COIL_OFF);
    case FunctionCode.WriteSingleRegister:
      return pdu(request.functionCode, request.address, request.value);
    case FunctionCode.WriteMultipleCoils: {
      const packed = packBits(request.values);
      return Buffer.concat([pdu(request.functionCode, request.address, request.values.length), Buffer.of(packed.length), packed]);
    }
    case FunctionCode.WriteMultipleRegisters: {
      const data = Buffer.alloc(1 + request.values.length * 2);
      data[0] = request.values.length * 2;
      request.values.forEach((value, index) => data.writeUInt16BE(value, 1 + index * 2));
      return Buffer.concat([pdu(request.functionCode, request.address, request.values.length), data]);
    }
  }
}

function pdu(functionCode: number, first: number, second: number): Buffer {
  const buffer = Buffer.alloc(5);
  buffer[0] = functionCode;
  buffer.writeUInt16BE(first, 1);
  buffer.writeUInt16BE(second, 3);
  return buffer;
}

/**
 * A request the server cannot act on, with the exception it should answer:
 * 01 for a function it does not know, 03 for a malformed or oversized request
 * (Modbus Application Protocol §6: quantity checks come before address checks).
 */
export interface RequestRejection {
  functionCode: number;
  exceptionCode: number;
  reason: string;
}

export type RequestDecodeResult = { ok: true; request: ModbusRequest } | { ok: false; rejection: RequestRejection };

/** Decode a request PDU as a server receives it; never throws. */
export function decodeRequest(pdu: Buffer): RequestDecodeResult {
  if (pdu.length === 0) {
    return reject(0, ExceptionCode.IllegalFunction, 'empty PDU');
  }
  const functionCode = pdu[0];
  if (!isKnownFunctionCode(functionCode)) {
    return reject(functionCode, ExceptionCode.IllegalFunction, `function code ${functionCode} is not supported`);
  }
  if (pdu.length < 5) {
    return reject(functionCode, ExceptionCode.IllegalDataValue, `PDU of ${pdu.length} bytes is too short`);
  }
  const address = pdu.readUInt16BE(1);
  const second = pdu.readUInt16BE(3);
  switch (functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters: {
      const problem = quantityProblem(functionCode, second) ?? lengthProblem(pdu, 5);
      if (problem) return reject(functionCode, ExceptionCode.IllegalDataValue, problem);
      return { ok: true, request: { functionCode, address, quantity: second } };
    }
    case FunctionCode.WriteSingleCoil: {
      if (second !== COIL_ON && second !== COIL_OFF) {
        return reject(functionCode, ExceptionCode.IllegalDataValue, `coil value 0x${second.toString(16)} is neither 0xFF00 nor 0x0000`);
      }
      const problem = lengthProblem(pdu, 5);
      if (problem) return reject(functionCode, ExceptionCode.IllegalDataValue, problem);
      return { ok: true, request: { functionCode, address, value: second === COIL_ON } };
    }
    case FunctionCode.WriteSingleRegister: {
      const problem = lengthProblem(pdu, 5);
      if (problem) return reject(functionCode, ExceptionCode.IllegalDataValue, problem);
      return { ok: true, request: { functionCode, address, value: second } };
    }
    case FunctionCode.WriteMultipleCoils: {
      const byteCount = byteCountForBits(second);
      const problem = quantityProblem(functionCode, second) ?? byteCountProblem(pdu, byteCount);
      if (problem) return reject(functionCode, ExceptionCode.IllegalDataValue, problem);
      return { ok: true, request: { functionCode, address, values: unpackBits(pdu.subarray(6), second) } };
    }
    case FunctionCode.WriteMultipleRegisters: {
      const problem = quantityProblem(functionCode, second) ?? byteCountProblem(pdu, second * 2);
      if (problem) return reject(functionCode, ExceptionCode.IllegalDataValue, problem);
      const values: number[] = [];
      for (let index = 0; index < second; index++) values.push(pdu.readUInt16BE(6 + index * 2));
      return { ok: true, request: { functionCode, address, values } };
    }
  }
}

function reject(functionCode: number, exceptionCode: number, reason: string): RequestDecodeResult {
  return { ok: false, rejection: { functionCode, exceptionCode, reason } };
}

function quantityProblem(functionCode: number, quantity: number): string | undefined {
  const limit = quantityLimit(functionCode);
  if (limit === undefined) return undefined;
  if (quantity < 1 || quantity > LIMITS[limit]) return `quantity ${quantity} is outside 1..${LIMITS[limit]}`;
  return undefined;
}

function lengthProblem(pdu: Buffer, expected: number): string | undefined {
  return pdu.length === expected ? undefined : `PDU of ${pdu.length} bytes, expected ${expected}`;
}

function byteCountProblem(pdu: Buffer, expectedByteCount: number): string | undefined {
  if (pdu.length < 6) return `PDU of ${pdu.length} bytes has no byte count`;
  if (pdu[5] !== expectedByteCount) return `byte count ${pdu[5]}, expected ${expectedByteCount}`;
  return lengthProblem(pdu, 6 + expectedByteCount);
}

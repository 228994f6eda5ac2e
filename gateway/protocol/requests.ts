/**
 * Request PDUs (function code + data) for the function codes the gateway speaks,
 * in both directions: the engine encodes them, the simulator and the proxy decode them.
 */
import { byteCountForBits, packBits, unpackBits } from './bits';
import { DeviceIdCode } from './deviceIdentification';
import { ProtocolLimitError, type RequestContext } from './errors';
import { ExceptionCode } from './exceptions';
import {
  DIAGNOSTIC_RETURN_QUERY_DATA,
  FunctionCode,
  MEI_READ_DEVICE_IDENTIFICATION,
  isKnownFunctionCode,
} from './functionCodes';
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

/** FC 7: eight device-specific status bits (serial line devices). */
export interface ReadExceptionStatusRequest {
  functionCode: typeof FunctionCode.ReadExceptionStatus;
}

/** FC 8. Sub-function 0 (return query data) echoes `data` (16-bit words) back. */
export interface DiagnosticsRequest {
  functionCode: typeof FunctionCode.Diagnostics;
  subFunction: number;
  data: number[];
}

/** FC 11: a status word and the count of successfully completed messages. */
export interface GetCommEventCounterRequest {
  functionCode: typeof FunctionCode.GetCommEventCounter;
}

/** FC 17: the device's id, run indicator and device-specific data. */
export interface ReportServerIdRequest {
  functionCode: typeof FunctionCode.ReportServerId;
}

/** FC 22: register = (register AND andMask) OR (orMask AND NOT andMask). */
export interface MaskWriteRegisterRequest {
  functionCode: typeof FunctionCode.MaskWriteRegister;
  address: number;
  andMask: number;
  orMask: number;
}

/** FC 23: write `values` at `writeAddress`, then read `quantity` registers at `address`. */
export interface ReadWriteMultipleRegistersRequest {
  functionCode: typeof FunctionCode.ReadWriteMultipleRegisters;
  /** First register read. */
  address: number;
  /** Registers read. */
  quantity: number;
  writeAddress: number;
  values: number[];
}

/** FC 43 / MEI 14: stream a category of identification objects from `objectId`, or fetch one. */
export interface ReadDeviceIdentificationRequest {
  functionCode: typeof FunctionCode.EncapsulatedInterface;
  deviceIdCode: DeviceIdCode;
  objectId: number;
}

export type ModbusRequest =
  | ReadRequest
  | WriteSingleCoilRequest
  | WriteSingleRegisterRequest
  | WriteMultipleCoilsRequest
  | WriteMultipleRegistersRequest
  | ReadExceptionStatusRequest
  | DiagnosticsRequest
  | GetCommEventCounterRequest
  | ReportServerIdRequest
  | MaskWriteRegisterRequest
  | ReadWriteMultipleRegistersRequest
  | ReadDeviceIdentificationRequest;

/** FC 5 encodes ON and OFF as these two values; anything else is illegal. */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;

export function isReadRequest(request: ModbusRequest): request is ReadRequest {
  return request.functionCode >= FunctionCode.ReadCoils && request.functionCode <= FunctionCode.ReadInputRegisters;
}

/** How many registers or bits the request reads or writes at its `address` (0 when it has none). */
export function requestQuantity(request: ModbusRequest): number {
  switch (request.functionCode) {
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
    case FunctionCode.MaskWriteRegister:
      return 1;
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
      return request.values.length;
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
    case FunctionCode.ReadWriteMultipleRegisters:
      return request.quantity;
    default:
      return 0;
  }
}

export function requestContext(request: ModbusRequest): RequestContext {
  if (!('address' in request)) return { functionCode: request.functionCode };
  return { functionCode: request.functionCode, address: request.address, quantity: requestQuantity(request) };
}

function quantityLimit(functionCode: number): LimitName | undefined {
  switch (functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
      return 'readBits';
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
    case FunctionCode.ReadWriteMultipleRegisters:
      return 'readRegisters';
    case FunctionCode.WriteMultipleCoils:
      return 'writeBits';
    case FunctionCode.WriteMultipleRegisters:
      return 'writeRegisters';
    default:
      return undefined;
  }
}

function checkRange(address: number, quantity: number, what = 'address'): void {
  if (!Number.isInteger(address) || address < 0 || address >= ADDRESS_SPACE) {
    throw new RangeError(`${what} ${address} is outside 0..65535`);
  }
  if (address + quantity > ADDRESS_SPACE) {
    throw new RangeError(`${what} ${address} + quantity ${quantity} runs past 65535`);
  }
}

function checkQuantity(context: RequestContext, limit: LimitName, quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`quantity ${quantity} must be at least 1`);
  if (quantity > LIMITS[limit]) throw new ProtocolLimitError(context, limit, quantity);
}

function checkWords(values: readonly number[], what: string): void {
  for (const value of values) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new RangeError(`${what} ${value} is not a 16-bit unsigned integer`);
    }
  }
}

/** checkQuantity for the request's own quantity; the context is only built for the error. */
function checkRequestQuantity(request: ModbusRequest, limit: LimitName, quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS[limit]) checkQuantity(requestContext(request), limit, quantity);
}

function checkRequest(request: ModbusRequest): void {
  switch (request.functionCode) {
    case FunctionCode.Diagnostics:
      checkWords([request.subFunction], 'sub-function');
      checkWords(request.data, 'diagnostic data word');
      return;
    case FunctionCode.EncapsulatedInterface:
      if (![1, 2, 3, 4].includes(request.deviceIdCode)) {
        throw new RangeError(`device id code ${request.deviceIdCode} is not 1 (basic), 2 (regular), 3 (extended) or 4 (individual)`);
      }
      if (!Number.isInteger(request.objectId) || request.objectId < 0 || request.objectId > 0xff) {
        throw new RangeError(`object id ${request.objectId} is outside 0..255`);
      }
      return;
    case FunctionCode.ReadExceptionStatus:
    case FunctionCode.GetCommEventCounter:
    case FunctionCode.ReportServerId:
      return;
    default:
      break;
  }
  const quantity = requestQuantity(request);
  const limit = quantityLimit(request.functionCode);
  if (limit !== undefined) checkRequestQuantity(request, limit, quantity);
  checkRange(request.address, quantity);
  switch (request.functionCode) {
    case FunctionCode.WriteSingleRegister:
      checkWords([request.value], 'register value');
      break;
    case FunctionCode.WriteMultipleRegisters:
      checkWords(request.values, 'register value');
      break;
    case FunctionCode.MaskWriteRegister:
      checkWords([request.andMask], 'AND mask');
      checkWords([request.orMask], 'OR mask');
      break;
    case FunctionCode.ReadWriteMultipleRegisters:
      checkQuantity(
        { functionCode: request.functionCode, address: request.writeAddress, quantity: request.values.length },
        'readWriteRegisters',
        request.values.length,
      );
      checkRange(request.writeAddress, request.values.length, 'write address');
      checkWords(request.values, 'register value');
      break;
  }
}

/** Encode a request PDU. Throws ProtocolLimitError or RangeError for requests the spec forbids. */
export function encodeRequest(request: ModbusRequest): Buffer {
  checkRequest(request);
  const encoded = encodeCheckedRequest(request);
  if (encoded.length > LIMITS.pduLength) throw new ProtocolLimitError(requestContext(request), 'pduLength', encoded.length);
  return encoded;
}

function encodeCheckedRequest(request: ModbusRequest): Buffer {
  switch (request.functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
      return words(request.functionCode, [request.address, request.quantity]);
    case FunctionCode.WriteSingleCoil:
      return words(request.functionCode, [request.address, request.value ? COIL_ON : COIL_OFF]);
    case FunctionCode.WriteSingleRegister:
      return words(request.functionCode, [request.address, request.value]);
    case FunctionCode.WriteMultipleCoils: {
      const packed = packBits(request.values);
      return Buffer.concat([words(request.functionCode, [request.address, request.values.length]), Buffer.of(packed.length), packed]);
    }
    case FunctionCode.WriteMultipleRegisters:
      return Buffer.concat([
        words(request.functionCode, [request.address, request.values.length]),
        Buffer.of(request.values.length * 2),
        wordBytes(request.values),
      ]);
    case FunctionCode.ReadExceptionStatus:
    case FunctionCode.GetCommEventCounter:
    case FunctionCode.ReportServerId:
      return Buffer.of(request.functionCode);
    case FunctionCode.Diagnostics:
      return words(request.functionCode, [request.subFunction, ...request.data]);
    case FunctionCode.MaskWriteRegister:
      return words(request.functionCode, [request.address, request.andMask, request.orMask]);
    case FunctionCode.ReadWriteMultipleRegisters:
      return Buffer.concat([
        words(request.functionCode, [request.address, request.quantity, request.writeAddress, request.values.length]),
        Buffer.of(request.values.length * 2),
        wordBytes(request.values),
      ]);
    case FunctionCode.EncapsulatedInterface:
      return Buffer.of(request.functionCode, MEI_READ_DEVICE_IDENTIFICATION, request.deviceIdCode, request.objectId);
  }
}

/** A function code followed by big-endian 16-bit words (checked to fit 16 bits before). */
function words(functionCode: number, values: readonly number[]): Buffer {
  const buffer = Buffer.allocUnsafe(1 + values.length * 2);
  buffer[0] = functionCode;
  for (let index = 0; index < values.length; index++) buffer.writeUInt16BE(values[index], 1 + index * 2);
  return buffer;
}

export function wordBytes(values: readonly number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  for (let index = 0; index < values.length; index++) buffer.writeUInt16BE(values[index], index * 2);
  return buffer;
}

export function readWords(bytes: Buffer, offset: number, count: number): number[] {
  const values: number[] = new Array(count);
  for (let index = 0; index < count; index++) values[index] = bytes.readUInt16BE(offset + index * 2);
  return values;
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
  /**
   * A function (or diagnostics sub-function, or MEI type) this codec does not parse
   * but a device may support: vendor and user-defined codes (65–72, 100–110), FIFO
   * and file records, diagnostic counters. A server answers 01; a proxy forwards the
   * bytes and lets the device decide (opaque.ts). Malformed requests are never this.
   */
  unsupported?: true;
}

export type RequestDecodeResult = { ok: true; request: ModbusRequest } | { ok: false; rejection: RequestRejection };

/** Decode a request PDU as a server receives it; never throws. */
export function decodeRequest(pdu: Buffer): RequestDecodeResult {
  if (pdu.length === 0) {
    return reject(0, ExceptionCode.IllegalFunction, 'empty PDU');
  }
  const functionCode = pdu[0];
  if (!isKnownFunctionCode(functionCode)) {
    // 0 and 128–255 are no function at all (128+ is the exception flag): never forwarded.
    const isFunction = functionCode >= 1 && functionCode <= MAX_FUNCTION_CODE;
    return reject(functionCode, ExceptionCode.IllegalFunction, `function code ${functionCode} is not supported`, isFunction);
  }
  const ok = (request: ModbusRequest): RequestDecodeResult => ({ ok: true, request });
  const bad = (problem: string): RequestDecodeResult => reject(functionCode, ExceptionCode.IllegalDataValue, problem);
  switch (functionCode) {
    case FunctionCode.ReadExceptionStatus:
    case FunctionCode.GetCommEventCounter:
    case FunctionCode.ReportServerId: {
      const problem = lengthProblem(pdu, 1);
      return problem ? bad(problem) : ok({ functionCode });
    }
    case FunctionCode.Diagnostics: {
      if (pdu.length < 3 || pdu.length % 2 === 0) return bad(`PDU of ${pdu.length} bytes is not a sub-function and whole data words`);
      const subFunction = pdu.readUInt16BE(1);
      if (subFunction !== DIAGNOSTIC_RETURN_QUERY_DATA) {
        return reject(functionCode, ExceptionCode.IllegalFunction, `diagnostic sub-function ${subFunction} is not supported`, true);
      }
      return ok({ functionCode, subFunction, data: readWords(pdu, 3, (pdu.length - 3) / 2) });
    }
    case FunctionCode.EncapsulatedInterface: {
      if (pdu.length < 2) return bad('PDU has no MEI type');
      if (pdu[1] !== MEI_READ_DEVICE_IDENTIFICATION) {
        return reject(functionCode, ExceptionCode.IllegalFunction, `MEI type ${pdu[1]} is not supported`, true);
      }
      const problem = lengthProblem(pdu, 4);
      if (problem) return bad(problem);
      if (pdu[2] < DeviceIdCode.Basic || pdu[2] > DeviceIdCode.Individual) return bad(`device id code ${pdu[2]} is outside 1..4`);
      return ok({ functionCode, deviceIdCode: pdu[2] as DeviceIdCode, objectId: pdu[3] });
    }
    default:
      break;
  }
  if (pdu.length < 5) return bad(`PDU of ${pdu.length} bytes is too short`);
  const address = pdu.readUInt16BE(1);
  const second = pdu.readUInt16BE(3);
  switch (functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters: {
      const problem = quantityProblem(functionCode, second) ?? lengthProblem(pdu, 5);
      return problem ? bad(problem) : ok({ functionCode, address, quantity: second });
    }
    case FunctionCode.WriteSingleCoil: {
      if (second !== COIL_ON && second !== COIL_OFF) return bad(`coil value 0x${second.toString(16)} is neither 0xFF00 nor 0x0000`);
      const problem = lengthProblem(pdu, 5);
      return problem ? bad(problem) : ok({ functionCode, address, value: second === COIL_ON });
    }
    case FunctionCode.WriteSingleRegister: {
      const problem = lengthProblem(pdu, 5);
      return problem ? bad(problem) : ok({ functionCode, address, value: second });
    }
    case FunctionCode.WriteMultipleCoils: {
      const problem = quantityProblem(functionCode, second) ?? byteCountProblem(pdu, 5, byteCountForBits(second));
      return problem ? bad(problem) : ok({ functionCode, address, values: unpackBits(pdu.subarray(6), second) });
    }
    case FunctionCode.WriteMultipleRegisters: {
      const problem = quantityProblem(functionCode, second) ?? byteCountProblem(pdu, 5, second * 2);
      return problem ? bad(problem) : ok({ functionCode, address, values: readWords(pdu, 6, second) });
    }
    case FunctionCode.MaskWriteRegister: {
      const problem = lengthProblem(pdu, 7);
      return problem ? bad(problem) : ok({ functionCode, address, andMask: second, orMask: pdu.readUInt16BE(5) });
    }
    case FunctionCode.ReadWriteMultipleRegisters: {
      if (pdu.length < 10) return bad(`PDU of ${pdu.length} bytes is too short`);
      const writeAddress = pdu.readUInt16BE(5);
      const writeQuantity = pdu.readUInt16BE(7);
      const problem =
        quantityProblem(functionCode, second) ??
        (writeQuantity < 1 || writeQuantity > LIMITS.readWriteRegisters
          ? `write quantity ${writeQuantity} is outside 1..${LIMITS.readWriteRegisters}`
          : undefined) ??
        byteCountProblem(pdu, 9, writeQuantity * 2);
      if (problem) return bad(problem);
      return ok({ functionCode, address, quantity: second, writeAddress, values: readWords(pdu, 10, writeQuantity) });
    }
  }
  return reject(functionCode, ExceptionCode.IllegalFunction, `function code ${functionCode} is not supported`);
}

/** Function codes are 1–127; the top bit marks an exception reply. */
const MAX_FUNCTION_CODE = 0x7f;

function reject(functionCode: number, exceptionCode: number, reason: string, unsupported = false): RequestDecodeResult {
  return { ok: false, rejection: { functionCode, exceptionCode, reason, ...(unsupported ? { unsupported: true as const } : {}) } };
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

/** The byte count sits at `at`; the data follows it to the end of the PDU. */
function byteCountProblem(pdu: Buffer, at: number, expectedByteCount: number): string | undefined {
  if (pdu.length <= at) return `PDU of ${pdu.length} bytes has no byte count`;
  if (pdu[at] !== expectedByteCount) return `byte count ${pdu[at]}, expected ${expectedByteCount}`;
  return lengthProblem(pdu, at + 1 + expectedByteCount);
}

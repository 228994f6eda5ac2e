/**
 * Response PDUs, both directions. The client side decodes a reply *against the
 * request it answers*, so a reply with the wrong function, byte count or echo is
 * caught here as a FrameError instead of turning into wrong values downstream.
 */
import { byteCountForBits, packBits, unpackBits } from './bits';
import { DeviceIdCode } from './deviceIdentification';
import { FrameError, type RequestContext } from './errors';
import { DIAGNOSTIC_RETURN_QUERY_DATA, EXCEPTION_FLAG, FunctionCode, MEI_READ_DEVICE_IDENTIFICATION } from './functionCodes';
import {
  COIL_OFF,
  COIL_ON,
  isReadRequest,
  readWords,
  requestContext,
  wordBytes,
  type ModbusRequest,
  type ReadFunctionCode,
} from './requests';

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

export interface ReadExceptionStatusResponse {
  functionCode: typeof FunctionCode.ReadExceptionStatus;
  /** Eight device-specific status bits. */
  status: number;
}

export interface DiagnosticsResponse {
  functionCode: typeof FunctionCode.Diagnostics;
  subFunction: number;
  data: number[];
}

export interface GetCommEventCounterResponse {
  functionCode: typeof FunctionCode.GetCommEventCounter;
  /** 0xFFFF while a previous program command is still running, else 0. */
  status: number;
  eventCount: number;
}

/**
 * FC 17. The spec leaves the layout device-specific; most devices (and modbus-serial)
 * send a one-byte server id, the run indicator (0x00 off, 0xFF on), then free data.
 */
export interface ReportServerIdResponse {
  functionCode: typeof FunctionCode.ReportServerId;
  serverId: number;
  running: boolean;
  additionalData: Buffer;
}

export interface MaskWriteRegisterResponse {
  functionCode: typeof FunctionCode.MaskWriteRegister;
  address: number;
  andMask: number;
  orMask: number;
}

export interface ReadWriteMultipleRegistersResponse {
  functionCode: typeof FunctionCode.ReadWriteMultipleRegisters;
  registers: number[];
}

/** One identification object; values are byte strings, kept as latin1 so no byte is lost. */
export interface DeviceIdentificationObject {
  id: number;
  value: string;
}

export interface ReadDeviceIdentificationResponse {
  functionCode: typeof FunctionCode.EncapsulatedInterface;
  deviceIdCode: DeviceIdCode;
  conformityLevel: number;
  /** More objects than fit one PDU: ask again from `nextObjectId`. */
  moreFollows: boolean;
  nextObjectId: number;
  objects: DeviceIdentificationObject[];
}

export type ModbusResponse =
  | ReadBitsResponse
  | ReadRegistersResponse
  | WriteSingleCoilResponse
  | WriteSingleRegisterResponse
  | WriteMultipleResponse
  | ReadExceptionStatusResponse
  | DiagnosticsResponse
  | GetCommEventCounterResponse
  | ReportServerIdResponse
  | MaskWriteRegisterResponse
  | ReadWriteMultipleRegistersResponse
  | ReadDeviceIdentificationResponse;

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

/** Header bytes of a Read Device Identification response before its objects. */
export const DEVICE_ID_RESPONSE_HEADER = 7;

export function encodeResponse(response: ModbusResponse): Buffer {
  switch (response.functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs: {
      const packed = packBits(response.bits);
      return Buffer.concat([Buffer.of(response.functionCode, packed.length), packed]);
    }
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
    case FunctionCode.ReadWriteMultipleRegisters:
      return Buffer.concat([Buffer.of(response.functionCode, response.registers.length * 2), wordBytes(response.registers)]);
    case FunctionCode.WriteSingleCoil:
      return words(response.functionCode, [response.address, response.value ? COIL_ON : COIL_OFF]);
    case FunctionCode.WriteSingleRegister:
      return words(response.functionCode, [response.address, response.value]);
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
      return words(response.functionCode, [response.address, response.quantity]);
    case FunctionCode.ReadExceptionStatus:
      return Buffer.of(response.functionCode, response.status);
    case FunctionCode.Diagnostics:
      return words(response.functionCode, [response.subFunction, ...response.data]);
    case FunctionCode.GetCommEventCounter:
      return words(response.functionCode, [response.status, response.eventCount]);
    case FunctionCode.ReportServerId: {
      const data = Buffer.concat([Buffer.of(response.serverId, response.running ? 0xff : 0x00), response.additionalData]);
      return Buffer.concat([Buffer.of(response.functionCode, data.length), data]);
    }
    case FunctionCode.MaskWriteRegister:
      return words(response.functionCode, [response.address, response.andMask, response.orMask]);
    case FunctionCode.EncapsulatedInterface: {
      const objects = response.objects.map((object) => {
        const value = Buffer.from(object.value, 'latin1');
        return Buffer.concat([Buffer.of(object.id, value.length), value]);
      });
      const header = Buffer.of(
        response.functionCode,
        MEI_READ_DEVICE_IDENTIFICATION,
        response.deviceIdCode,
        response.conformityLevel,
        response.moreFollows ? 0xff : 0x00,
        response.moreFollows ? response.nextObjectId : 0x00,
        response.objects.length,
      );
      return Buffer.concat([header, ...objects]);
    }
  }
}

export function encodeExceptionResponse(functionCode: number, exceptionCode: number): Buffer {
  return Buffer.of((functionCode | EXCEPTION_FLAG) & 0xff, exceptionCode);
}

function words(functionCode: number, values: readonly number[]): Buffer {
  return Buffer.concat([Buffer.of(functionCode), wordBytes(values)]);
}

type Fail = (expected: string, actual?: string) => never;

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
  const fast = decodeReadFast(pdu, request);
  if (fast) return fast;
  const context: RequestContext = { ...where, ...requestContext(request) };
  const fail: Fail = (expected, actual) => {
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
    case FunctionCode.ReadWriteMultipleRegisters: {
      const registers = decodeRegisterData(pdu, request.quantity, fail);
      return { functionCode: request.functionCode, registers };
    }
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
    case FunctionCode.MaskWriteRegister: {
      checkLength(pdu, 7, fail);
      const [address, andMask, orMask] = readWords(pdu, 1, 3);
      if (address !== request.address || andMask !== request.andMask || orMask !== request.orMask) {
        fail(
          `an echo of register ${request.address} AND 0x${hex(request.andMask)} OR 0x${hex(request.orMask)}`,
          `register ${address} AND 0x${hex(andMask)} OR 0x${hex(orMask)}`,
        );
      }
      return { functionCode: request.functionCode, address, andMask, orMask };
    }
    case FunctionCode.ReadExceptionStatus:
      checkLength(pdu, 2, fail);
      return { functionCode: request.functionCode, status: pdu[1] };
    case FunctionCode.GetCommEventCounter: {
      checkLength(pdu, 5, fail);
      const [status, eventCount] = readWords(pdu, 1, 2);
      return { functionCode: request.functionCode, status, eventCount };
    }
    case FunctionCode.Diagnostics: {
      if (pdu.length < 3 || pdu.length % 2 === 0) fail('a sub-function and whole data words', `${pdu.length} bytes`);
      const subFunction = pdu.readUInt16BE(1);
      const data = readWords(pdu, 3, (pdu.length - 3) / 2);
      if (subFunction !== request.subFunction) fail(`sub-function ${request.subFunction}`, `${subFunction}`);
      if (subFunction === DIAGNOSTIC_RETURN_QUERY_DATA && data.join() !== request.data.join()) {
        fail(`an echo of the query data [${request.data.join(', ')}]`, `[${data.join(', ')}]`);
      }
      return { functionCode: request.functionCode, subFunction, data };
    }
    case FunctionCode.ReportServerId: {
      if (pdu.length < 2) fail('a byte count', 'none');
      if (pdu.length !== 2 + pdu[1]) fail(`${pdu[1]} data bytes as the byte count says`, `${pdu.length - 2}`);
      if (pdu[1] < 1) fail('at least a server id', 'no data');
      return {
        functionCode: request.functionCode,
        serverId: pdu[2],
        running: pdu[3] === 0xff,
        additionalData: Buffer.from(pdu.subarray(4)),
      };
    }
    case FunctionCode.EncapsulatedInterface:
      return decodeDeviceIdentification(pdu, request.deviceIdCode, fail);
  }
}

function decodeDeviceIdentification(pdu: Buffer, deviceIdCode: DeviceIdCode, fail: Fail): ReadDeviceIdentificationResponse {
  if (pdu.length < DEVICE_ID_RESPONSE_HEADER) fail(`a ${DEVICE_ID_RESPONSE_HEADER}-byte identification header`, `${pdu.length} bytes`);
  if (pdu[1] !== MEI_READ_DEVICE_IDENTIFICATION) fail(`MEI type ${MEI_READ_DEVICE_IDENTIFICATION}`, `${pdu[1]}`);
  if (pdu[2] !== deviceIdCode) fail(`device id code ${deviceIdCode}`, `${pdu[2]}`);
  const count = pdu[6];
  const objects: DeviceIdentificationObject[] = [];
  let offset = DEVICE_ID_RESPONSE_HEADER;
  for (let index = 0; index < count; index++) {
    if (offset + 2 > pdu.length) fail(`${count} objects`, `${index} before the PDU ended`);
    const id = pdu[offset];
    const length = pdu[offset + 1];
    if (offset + 2 + length > pdu.length) fail(`${length} bytes of object ${id}`, `${pdu.length - offset - 2}`);
    objects.push({ id, value: pdu.toString('latin1', offset + 2, offset + 2 + length) });
    offset += 2 + length;
  }
  if (offset !== pdu.length) fail(`the PDU to end after ${count} objects`, `${pdu.length - offset} more bytes`);
  return {
    functionCode: FunctionCode.EncapsulatedInterface,
    deviceIdCode: pdu[2] as DeviceIdCode,
    conformityLevel: pdu[3],
    moreFollows: pdu[4] === 0xff,
    nextObjectId: pdu[5],
    objects,
  };
}

/**
 * The common case, a well-formed reply to a read (FC 1-4), decoded without building
 * the error context; anything else (exceptions, bad lengths) goes the general way.
 */
function decodeReadFast(pdu: Buffer, request: ModbusRequest): ModbusResponse | undefined {
  if (!isReadRequest(request) || pdu.length < 2 || pdu[0] !== request.functionCode) return undefined;
  const { functionCode, quantity } = request;
  if (functionCode === FunctionCode.ReadHoldingRegisters || functionCode === FunctionCode.ReadInputRegisters) {
    const expectedBytes = quantity * 2;
    if (pdu[1] !== expectedBytes || pdu.length !== 2 + expectedBytes) return undefined;
    return { functionCode, registers: readWords(pdu, 2, quantity) };
  }
  const expectedBytes = byteCountForBits(quantity);
  if (pdu[1] !== expectedBytes || pdu.length !== 2 + expectedBytes) return undefined;
  return { functionCode, bits: unpackBits(pdu.subarray(2), quantity) };
}

function decodeRegisterData(pdu: Buffer, quantity: number, fail: Fail): number[] {
  const expectedBytes = quantity * 2;
  if (pdu.length < 2) fail(`a byte count of ${expectedBytes}`, 'none');
  if (pdu[1] !== expectedBytes) fail(`${expectedBytes} data bytes`, `a byte count of ${pdu[1]}`);
  if (pdu.length !== 2 + expectedBytes) fail(`${expectedBytes} data bytes`, `${pdu.length - 2}`);
  return readWords(pdu, 2, quantity);
}

function decodeReadResponse(pdu: Buffer, functionCode: ReadFunctionCode, quantity: number, fail: Fail): ModbusResponse {
  if (functionCode === FunctionCode.ReadHoldingRegisters || functionCode === FunctionCode.ReadInputRegisters) {
    return { functionCode, registers: decodeRegisterData(pdu, quantity, fail) };
  }
  const expectedBytes = byteCountForBits(quantity);
  if (pdu.length < 2) fail(`a byte count of ${expectedBytes}`, 'none');
  if (pdu[1] !== expectedBytes) fail(`${expectedBytes} data bytes`, `a byte count of ${pdu[1]}`);
  if (pdu.length !== 2 + expectedBytes) fail(`${expectedBytes} data bytes`, `${pdu.length - 2}`);
  return { functionCode, bits: unpackBits(pdu.subarray(2), quantity) };
}

function checkLength(pdu: Buffer, expected: number, fail: Fail): void {
  if (pdu.length !== expected) fail(`a ${expected}-byte PDU`, `${pdu.length} bytes`);
}

function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

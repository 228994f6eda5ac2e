/**
 * What a Modbus server does with one request PDU: decode, check, act on the data
 * model, answer. Exceptions follow the spec: 01 unknown function, 03 bad quantity
 * or malformed request, 02 an address the device does not have.
 */
import type { RegisterTable } from '../api/address';
import { DeviceIdCode, lastObjectOfCategory } from '../protocol/deviceIdentification';
import { ExceptionCode } from '../protocol/exceptions';
import { FunctionCode } from '../protocol/functionCodes';
import { LIMITS } from '../protocol/limits';
import {
  decodeRequest,
  requestQuantity,
  type ModbusRequest,
  type ReadDeviceIdentificationRequest,
} from '../protocol/requests';
import {
  DEVICE_ID_RESPONSE_HEADER,
  encodeExceptionResponse,
  encodeResponse,
  type DeviceIdentificationObject,
  type ModbusResponse,
} from '../protocol/responses';
import type { ModbusDataModel } from './dataModel';

/** Basic and regular identification, stream and individual access. */
const CONFORMITY_LEVEL = 0x82;

/** An exception the handler answers instead of a response. */
class Refusal {
  constructor(readonly exceptionCode: number) {}
}

export function handleRequestPdu(model: ModbusDataModel, pdu: Buffer): Buffer {
  const decoded = decodeRequest(pdu);
  if (!decoded.ok) return encodeExceptionResponse(decoded.rejection.functionCode, decoded.rejection.exceptionCode);
  const request = decoded.request;
  const outcome = execute(model, request);
  if (outcome instanceof Refusal) return encodeExceptionResponse(request.functionCode, outcome.exceptionCode);
  // FC 11 reads the counter; only other completed requests count (Modbus Application Protocol §6.9).
  if (request.functionCode !== FunctionCode.GetCommEventCounter) model.commEventCount = (model.commEventCount + 1) & 0xffff;
  return encodeResponse(outcome);
}

/** The table a request with an address touches. */
function tableOf(request: ModbusRequest): RegisterTable | undefined {
  switch (request.functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteMultipleCoils:
      return 'coil';
    case FunctionCode.ReadDiscreteInputs:
      return 'discreteInput';
    case FunctionCode.ReadInputRegisters:
      return 'inputRegister';
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.WriteSingleRegister:
    case FunctionCode.WriteMultipleRegisters:
    case FunctionCode.MaskWriteRegister:
    case FunctionCode.ReadWriteMultipleRegisters:
      return 'holdingRegister';
    default:
      return undefined;
  }
}

function addressesExist(model: ModbusDataModel, request: ModbusRequest): boolean {
  const table = tableOf(request);
  if (table === undefined || !('address' in request)) return true;
  if (!model.inRange(table, request.address, requestQuantity(request))) return false;
  if (request.functionCode === FunctionCode.ReadWriteMultipleRegisters) {
    return model.inRange(table, request.writeAddress, request.values.length);
  }
  return true;
}

function execute(model: ModbusDataModel, request: ModbusRequest): ModbusResponse | Refusal {
  if (!addressesExist(model, request)) return new Refusal(ExceptionCode.IllegalDataAddress);
  switch (request.functionCode) {
    case FunctionCode.ReadCoils:
      return { functionCode: request.functionCode, bits: model.readBits('coil', request.address, request.quantity) };
    case FunctionCode.ReadDiscreteInputs:
      return {
        functionCode: request.functionCode,
        bits: model.readBits('discreteInput', request.address, request.quantity),
      };
    case FunctionCode.ReadHoldingRegisters:
      return {
        functionCode: request.functionCode,
        registers: model.readRegisters('holdingRegister', request.address, request.quantity),
      };
    case FunctionCode.ReadInputRegisters:
      return {
        functionCode: request.functionCode,
        registers: model.readRegisters('inputRegister', request.address, request.quantity),
      };
    case FunctionCode.WriteSingleCoil:
      model.writeBits('coil', request.address, [request.value]);
      return { functionCode: request.functionCode, address: request.address, value: request.value };
    case FunctionCode.WriteSingleRegister:
      model.writeRegisters('holdingRegister', request.address, [request.value]);
      return { functionCode: request.functionCode, address: request.address, value: request.value };
    case FunctionCode.WriteMultipleCoils:
      model.writeBits('coil', request.address, request.values);
      return { functionCode: request.functionCode, address: request.address, quantity: request.values.length };
    case FunctionCode.WriteMultipleRegisters:
      model.writeRegisters('holdingRegister', request.address, request.values);
      return { functionCode: request.functionCode, address: request.address, quantity: request.values.length };
    case FunctionCode.ReadExceptionStatus:
      return { functionCode: request.functionCode, status: model.exceptionStatus & 0xff };
    case FunctionCode.Diagnostics:
      // Sub-function 0, the only one decodeRequest lets through: loop the data back.
      return { functionCode: request.functionCode, subFunction: request.subFunction, data: request.data };
    case FunctionCode.GetCommEventCounter:
      return { functionCode: request.functionCode, status: 0, eventCount: model.commEventCount };
    case FunctionCode.ReportServerId: {
      const identity = model.identity;
      return {
        functionCode: request.functionCode,
        serverId: identity.serverId,
        running: identity.running,
        additionalData: Buffer.from(identity.serverIdText, 'latin1'),
      };
    }
    case FunctionCode.MaskWriteRegister: {
      const [current] = model.readRegisters('holdingRegister', request.address, 1);
      const next = (current & request.andMask) | (request.orMask & ~request.andMask & 0xffff);
      model.writeRegisters('holdingRegister', request.address, [next]);
      return { ...request };
    }
    case FunctionCode.ReadWriteMultipleRegisters:
      // The spec performs the write before the read.
      model.writeRegisters('holdingRegister', request.writeAddress, request.values);
      return {
        functionCode: request.functionCode,
        registers: model.readRegisters('holdingRegister', request.address, request.quantity),
      };
    case FunctionCode.EncapsulatedInterface:
      return readDeviceIdentification(model, request);
  }
}

/**
 * FC 43/14 (§6.21): individual access returns one object or exception 02; stream
 * access returns the category from `objectId` (from the start when the id is
 * unknown), split over several replies with "more follows" when it does not fit.
 */
function readDeviceIdentification(
  model: ModbusDataModel,
  request: ReadDeviceIdentificationRequest,
): ModbusResponse | Refusal {
  const objects = model.identity.objects;
  const reply = (list: DeviceIdentificationObject[], moreFollows = false, nextObjectId = 0): ModbusResponse => ({
    functionCode: request.functionCode,
    deviceIdCode: request.deviceIdCode,
    conformityLevel: CONFORMITY_LEVEL,
    moreFollows,
    nextObjectId,
    objects: list,
  });
  if (request.deviceIdCode === DeviceIdCode.Individual) {
    const value = objects.get(request.objectId);
    return value === undefined ? new Refusal(ExceptionCode.IllegalDataAddress) : reply([{ id: request.objectId, value }]);
  }
  // This simulator has no extended objects: an extended request is answered with the regular ones.
  const last = lastObjectOfCategory(request.deviceIdCode);
  const category = [...objects.keys()].filter((id) => id <= last).sort((a, b) => a - b);
  const start = category.includes(request.objectId) ? request.objectId : 0;
  const list: DeviceIdentificationObject[] = [];
  let size = DEVICE_ID_RESPONSE_HEADER;
  for (const id of category.filter((candidate) => candidate >= start)) {
    let value = objects.get(id) as string;
    // An object too long for any reply is cut to fit, or the client would ask for it forever.
    if (list.length === 0) value = value.slice(0, LIMITS.pduLength - size - 2);
    const objectSize = 2 + Buffer.byteLength(value, 'latin1');
    if (size + objectSize > LIMITS.pduLength) return reply(list, true, id);
    list.push({ id, value });
    size += objectSize;
  }
  return reply(list);
}

/**
 * What a Modbus server does with one request PDU: decode, check, act on the data
 * model, answer. Exceptions follow the spec: 01 unknown function, 03 bad quantity
 * or malformed request, 02 an address the device does not have.
 */
import type { RegisterTable } from '../api/address';
import { ExceptionCode } from '../protocol/exceptions';
import { FunctionCode } from '../protocol/functionCodes';
import { decodeRequest, requestQuantity, type ModbusRequest } from '../protocol/requests';
import { encodeExceptionResponse, encodeResponse, type ModbusResponse } from '../protocol/responses';
import type { ModbusDataModel } from './dataModel';

export function handleRequestPdu(model: ModbusDataModel, pdu: Buffer): Buffer {
  const decoded = decodeRequest(pdu);
  if (!decoded.ok) return encodeExceptionResponse(decoded.rejection.functionCode, decoded.rejection.exceptionCode);
  const request = decoded.request;
  if (!model.inRange(tableOf(request), request.address, requestQuantity(request))) {
    return encodeExceptionResponse(request.functionCode, ExceptionCode.IllegalDataAddress);
  }
  return encodeResponse(execute(model, request));
}

function tableOf(request: ModbusRequest): RegisterTable {
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
      return 'holdingRegister';
  }
}

function execute(model: ModbusDataModel, request: ModbusRequest): ModbusResponse {
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
  }
}

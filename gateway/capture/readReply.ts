/** A read request's reply as values by address, for the Send box's register table. */
import type { ExchangeRead } from '../api/capture';
import { FunctionCode } from '../protocol/functionCodes';
import type { ModbusRequest } from '../protocol/requests';
import { decodeResponse, isExceptionResponse } from '../protocol/responses';

const READ_TABLE: Partial<Record<number, ExchangeRead['table']>> = {
  [FunctionCode.ReadCoils]: 'coil',
  [FunctionCode.ReadDiscreteInputs]: 'discreteInput',
  [FunctionCode.ReadHoldingRegisters]: 'holdingRegister',
  [FunctionCode.ReadInputRegisters]: 'inputRegister',
};

/** Undefined for anything but an answered FC 1–4 read (an exception, a write, a reply that does not fit). */
export function readValues(request: ModbusRequest, replyPdu: Buffer): ExchangeRead | undefined {
  const table = READ_TABLE[request.functionCode];
  if (!table || !('quantity' in request)) return undefined;
  try {
    const response = decodeResponse(replyPdu, request);
    if (isExceptionResponse(response)) return undefined;
    if ('registers' in response) return { table, start: request.address, values: [...response.registers] };
    if ('bits' in response) return { table, start: request.address, values: response.bits.slice(0, request.quantity).map(Number) };
  } catch {
    // A reply that does not answer the request: the decoded frame already says so.
  }
  return undefined;
}

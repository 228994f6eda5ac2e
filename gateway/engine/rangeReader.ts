/**
 * Reads an arbitrary range of one table, as the Registers view asks for it: cut into
 * requests within the device's limits, sent one after another through the device's
 * session (its queue, its timeout). A request the device refuses with "illegal data
 * address" is split in halves until the rows it cannot serve are found, so a range
 * that runs into a hole shows the exception on those rows only and values on the rest.
 * A lost link fails the rest of the range at once instead of once per request.
 */
import type { RangeChunk, RegisterTableName } from '../api/registers';
import { ConnectionClosedError, ModbusError, ModbusExceptionError } from '../protocol/errors';
import { ExceptionCode } from '../protocol/exceptions';
import { FunctionCode } from '../protocol/functionCodes';
import { LIMITS } from '../protocol/limits';

export interface RangeRequest {
  functionCode: 1 | 2 | 3 | 4;
  address: number;
  quantity: number;
}

export interface RangeReadOptions {
  /** One read through the device's session: registers, or bits. */
  read: (request: RangeRequest) => Promise<readonly number[] | readonly boolean[]>;
  /** The device's limits (maxRegistersPerRead, maxBitsPerRead). */
  maxRegistersPerRead?: number;
  maxBitsPerRead?: number;
}

export const READ_FUNCTION: Record<RegisterTableName, RangeRequest['functionCode']> = {
  coil: FunctionCode.ReadCoils,
  discreteInput: FunctionCode.ReadDiscreteInputs,
  holdingRegister: FunctionCode.ReadHoldingRegisters,
  inputRegister: FunctionCode.ReadInputRegisters,
};

/**
 * Splits beyond this many extra requests per planned one stop: a device that refuses
 * every other register would otherwise cost two requests per row.
 */
const SPLIT_BUDGET_PER_REQUEST = 64;

export async function readRange(
  table: RegisterTableName,
  start: number,
  count: number,
  options: RangeReadOptions,
): Promise<{ chunks: RangeChunk[]; requests: number }> {
  const bits = table === 'coil' || table === 'discreteInput';
  const limit = bits ? Math.min(options.maxBitsPerRead ?? LIMITS.readBits, LIMITS.readBits) : Math.min(options.maxRegistersPerRead ?? LIMITS.readRegisters, LIMITS.readRegisters);
  const functionCode = READ_FUNCTION[table];
  const chunks: RangeChunk[] = [];
  let requests = 0;
  let splitsLeft = SPLIT_BUDGET_PER_REQUEST * Math.ceil(count / limit);
  let linkDown: string | undefined;

  const failed = (from: number, quantity: number, error: string, exceptionCode?: number): void => {
    chunks.push({ start: from, count: quantity, ts: Date.now(), error, ...(exceptionCode === undefined ? {} : { exceptionCode }) });
  };

  const readPart = async (from: number, quantity: number): Promise<void> => {
    if (linkDown !== undefined) return failed(from, quantity, linkDown);
    requests++;
    try {
      const data = await options.read({ functionCode, address: from, quantity });
      const values = Array.from(data, (value: number | boolean) => (typeof value === 'boolean' ? Number(value) : value));
      chunks.push({ start: from, count: quantity, ts: Date.now(), values: values.slice(0, quantity) });
    } catch (error) {
      if (!(error instanceof ModbusError)) throw error;
      if (error instanceof ModbusExceptionError) {
        if (error.exceptionCode === ExceptionCode.IllegalDataAddress && quantity > 1 && splitsLeft > 0) {
          splitsLeft -= 2;
          const half = Math.ceil(quantity / 2);
          await readPart(from, half);
          await readPart(from + half, quantity - half);
          return;
        }
        return failed(from, quantity, error.message, error.exceptionCode);
      }
      if (error instanceof ConnectionClosedError) linkDown = error.message;
      failed(from, quantity, error.message);
    }
  };

  for (let from = start; from < start + count; from += limit) {
    await readPart(from, Math.min(limit, start + count - from));
  }
  return { chunks, requests };
}

/**
 * Field trees for request and response PDUs of every function code the gateway
 * speaks. Each dissector reads with a FieldReader (which never throws), checks
 * what the spec demands (quantities, byte counts, coil values) and returns the
 * summary's words: "Read Holding Registers 0–9 (10)".
 */
import { conformityLevelName, deviceIdCodeName, deviceIdObjectName } from '../deviceIdentification';
import { exceptionName, formatExceptionCode } from '../exceptions';
import {
  DIAGNOSTIC_RETURN_QUERY_DATA,
  EXCEPTION_FLAG,
  FunctionCode,
  MEI_READ_DEVICE_IDENTIFICATION,
  functionTitle,
  isKnownFunctionCode,
} from '../functionCodes';
import { LIMITS, type LimitName } from '../limits';
import { COIL_OFF, COIL_ON } from '../requests';
import { hex16, hex8, type FieldReader } from './fieldReader';

export interface PduOutcome {
  /** The summary without the unit: "Read Holding Registers 0–9 (10)". */
  summary: string;
  functionCode?: number;
  exceptionCode?: number;
}

function range(start: number | undefined, quantity: number | undefined): string {
  if (start === undefined) return '';
  if (quantity === undefined || quantity <= 1) return ` ${start}`;
  return ` ${start}–${start + quantity - 1} (${quantity})`;
}

function limitCheck(reader: FieldReader, quantity: number | undefined, limit: LimitName, what: string): void {
  if (quantity === undefined) return;
  if (quantity < 1 || quantity > LIMITS[limit]) {
    reader.problems.push(`quantity ${quantity} is outside 1..${LIMITS[limit]} ${what} (limit ${limit})`);
  }
}

/** A byte count that disagrees with what follows (or with the quantity) is a problem, not a crash. */
function byteCountCheck(reader: FieldReader, byteCount: number | undefined, expected?: number): void {
  if (byteCount === undefined) return;
  if (expected !== undefined && byteCount !== expected) {
    reader.problems.push(`byte count mismatch: byte count ${byteCount}, the quantity needs ${expected}`);
  } else if (byteCount !== reader.remaining) {
    reader.problems.push(`byte count mismatch: byte count ${byteCount}, ${reader.remaining} data bytes follow`);
  }
}

function registerList(reader: FieldReader, count: number, name: string, first?: number): number[] {
  const values: number[] = [];
  reader.group(name, () => {
    for (let index = 0; index < count; index++) {
      const value = reader.u16(first === undefined ? `Register ${index}` : `Register ${first + index}`);
      if (value === undefined) break;
      values.push(value);
    }
  }, count);
  return values;
}

function bitList(reader: FieldReader, byteCount: number, quantity: number | undefined, name: string, first?: number): void {
  const bits = quantity ?? byteCount * 8;
  reader.group(name, () => {
    for (let byteIndex = 0; byteIndex < byteCount; byteIndex++) {
      const base = byteIndex * 8;
      const count = Math.min(8, bits - base);
      reader.u8(`Bits ${label(first, base)}–${label(first, base + Math.max(count, 1) - 1)}`, (byte) =>
        Array.from({ length: Math.max(count, 0) }, (_, bit) => `${label(first, base + bit)}=${(byte >> bit) & 1}`).join(' '),
      );
    }
  }, bits);
}

function label(first: number | undefined, index: number): string {
  return first === undefined ? `${index}` : `${first + index}`;
}

function functionCodeField(reader: FieldReader): number | undefined {
  return reader.u8('Function code', (code) => {
    if (code & EXCEPTION_FLAG) return `exception to ${functionTitle(code & 0x7f)}`;
    return isKnownFunctionCode(code) ? functionTitle(code) : 'unknown function';
  });
}

function coilValueMeaning(value: number): string {
  if (value === COIL_ON) return 'ON';
  if (value === COIL_OFF) return 'OFF';
  return 'invalid (neither 0xFF00 nor 0x0000)';
}

export function dissectRequest(reader: FieldReader): PduOutcome {
  const functionCode = functionCodeField(reader);
  if (functionCode === undefined) return { summary: 'empty PDU' };
  const title = functionTitle(functionCode);
  const done = (detail = ''): PduOutcome => {
    reader.extra(`the ${title} request`);
    return { summary: `${title}${detail}`, functionCode };
  };
  switch (functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters: {
      const address = reader.u16('Starting address');
      const quantity = reader.u16('Quantity');
      const bits = functionCode <= FunctionCode.ReadDiscreteInputs;
      limitCheck(reader, quantity, bits ? 'readBits' : 'readRegisters', bits ? 'bits per read' : 'registers per read');
      return done(range(address, quantity));
    }
    case FunctionCode.WriteSingleCoil: {
      const address = reader.u16('Output address');
      const value = reader.u16('Output value', coilValueMeaning);
      if (value !== undefined && value !== COIL_ON && value !== COIL_OFF) {
        reader.problems.push(`coil value ${hex16(value)} is neither 0xFF00 (ON) nor 0x0000 (OFF)`);
      }
      return done(`${range(address, 1)}${value === undefined ? '' : ` = ${coilValueMeaning(value).split(' ')[0]}`}`);
    }
    case FunctionCode.WriteSingleRegister: {
      const address = reader.u16('Register address');
      const value = reader.u16('Register value', hex16);
      return done(`${range(address, 1)}${value === undefined ? '' : ` = ${value}`}`);
    }
    case FunctionCode.WriteMultipleCoils: {
      const address = reader.u16('Starting address');
      const quantity = reader.u16('Quantity');
      limitCheck(reader, quantity, 'writeBits', 'coils per write');
      const byteCount = reader.u8('Byte count');
      byteCountCheck(reader, byteCount, quantity === undefined ? undefined : Math.ceil(quantity / 8));
      if (byteCount !== undefined) bitList(reader, Math.min(byteCount, reader.remaining), quantity, 'Output values', address);
      return done(range(address, quantity));
    }
    case FunctionCode.WriteMultipleRegisters: {
      const address = reader.u16('Starting address');
      const quantity = reader.u16('Quantity');
      limitCheck(reader, quantity, 'writeRegisters', 'registers per write');
      const byteCount = reader.u8('Byte count');
      byteCountCheck(reader, byteCount, quantity === undefined ? undefined : quantity * 2);
      if (byteCount !== undefined) registerList(reader, Math.floor(Math.min(byteCount, reader.remaining) / 2), 'Register values', address);
      return done(range(address, quantity));
    }
    case FunctionCode.ReadExceptionStatus:
    case FunctionCode.GetCommEventCounter:
    case FunctionCode.ReportServerId:
      return done();
    case FunctionCode.Diagnostics: {
      const subFunction = reader.u16('Sub-function', diagnosticName);
      const words = Math.floor(reader.remaining / 2);
      registerList(reader, words, 'Data');
      return done(subFunction === undefined ? '' : ` ${diagnosticName(subFunction)} (${words} word${words === 1 ? '' : 's'})`);
    }
    case FunctionCode.MaskWriteRegister: {
      const address = reader.u16('Reference address');
      const andMask = reader.u16('AND mask', hex16);
      const orMask = reader.u16('OR mask', hex16);
      const masks = andMask === undefined || orMask === undefined ? '' : ` AND ${hex16(andMask)} OR ${hex16(orMask)}`;
      return done(`${range(address, 1)}${masks}`);
    }
    case FunctionCode.ReadWriteMultipleRegisters: {
      const readAddress = reader.u16('Read starting address');
      const readQuantity = reader.u16('Read quantity');
      limitCheck(reader, readQuantity, 'readRegisters', 'registers per read');
      const writeAddress = reader.u16('Write starting address');
      const writeQuantity = reader.u16('Write quantity');
      limitCheck(reader, writeQuantity, 'readWriteRegisters', 'registers written');
      const byteCount = reader.u8('Write byte count');
      byteCountCheck(reader, byteCount, writeQuantity === undefined ? undefined : writeQuantity * 2);
      if (byteCount !== undefined) {
        registerList(reader, Math.floor(Math.min(byteCount, reader.remaining) / 2), 'Write register values', writeAddress);
      }
      return done(` read${range(readAddress, readQuantity)}, write${range(writeAddress, writeQuantity)}`);
    }
    case FunctionCode.EncapsulatedInterface: {
      const meiType = reader.u8('MEI type', meiName);
      if (meiType !== undefined && meiType !== MEI_READ_DEVICE_IDENTIFICATION) {
        reader.problems.push(`MEI type ${meiType} is not 14 (read device identification)`);
        reader.raw('MEI data', reader.remaining);
        return { summary: `Encapsulated Interface, MEI type ${meiType}`, functionCode };
      }
      const code = reader.u8('Read device id code', deviceIdCodeName);
      const objectId = reader.u8('Object id', deviceIdObjectName);
      const detail = code === undefined ? '' : ` ${deviceIdCodeName(code)}${objectId === undefined ? '' : ` from ${deviceIdObjectName(objectId)}`}`;
      return done(detail);
    }
    default:
      return unknownFunction(reader, functionCode);
  }
}

export function dissectResponse(reader: FieldReader): PduOutcome {
  const functionCode = functionCodeField(reader);
  if (functionCode === undefined) return { summary: 'empty PDU' };
  if (functionCode & EXCEPTION_FLAG) {
    const exceptionCode = reader.u8('Exception code', exceptionName);
    reader.extra('the exception code');
    const original = functionTitle(functionCode & 0x7f);
    const detail = exceptionCode === undefined ? '' : ` ${formatExceptionCode(exceptionCode)} (${exceptionName(exceptionCode)})`;
    return { summary: `${original} exception${detail}`, functionCode, exceptionCode };
  }
  const title = functionTitle(functionCode);
  const done = (detail: string): PduOutcome => {
    reader.extra(`the ${title} response`);
    return { summary: `${title} response${detail}`, functionCode };
  };
  switch (functionCode) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs: {
      const byteCount = reader.u8('Byte count');
      byteCountCheck(reader, byteCount);
      if (byteCount !== undefined) bitList(reader, Math.min(byteCount, reader.remaining), undefined, functionCode === 1 ? 'Coil status' : 'Input status');
      return done(byteCount === undefined ? '' : `: ${byteCount} byte${byteCount === 1 ? '' : 's'} of bits`);
    }
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
    case FunctionCode.ReadWriteMultipleRegisters: {
      const byteCount = reader.u8('Byte count');
      byteCountCheck(reader, byteCount);
      if (byteCount !== undefined && byteCount % 2 === 1) reader.problems.push(`byte count ${byteCount} is odd: registers are 2 bytes`);
      const count = byteCount === undefined ? 0 : Math.floor(Math.min(byteCount, reader.remaining) / 2);
      registerList(reader, count, 'Register values');
      return done(byteCount === undefined ? '' : `: ${count} register${count === 1 ? '' : 's'}`);
    }
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
    case FunctionCode.MaskWriteRegister: {
      // These answer with (most of) the request echoed back.
      const echo = dissectRequestBody(reader, functionCode);
      return done(echo);
    }
    case FunctionCode.ReadExceptionStatus: {
      const status = reader.u8('Output data', (value) => `0b${value.toString(2).padStart(8, '0')}`);
      return done(status === undefined ? '' : `: status ${hex8(status)}`);
    }
    case FunctionCode.Diagnostics: {
      const subFunction = reader.u16('Sub-function', diagnosticName);
      const words = Math.floor(reader.remaining / 2);
      registerList(reader, words, 'Data');
      return done(subFunction === undefined ? '' : ` ${diagnosticName(subFunction)} (${words} word${words === 1 ? '' : 's'})`);
    }
    case FunctionCode.GetCommEventCounter: {
      const status = reader.u16('Status', (value) => (value === 0xffff ? 'busy' : value === 0 ? 'ready' : undefined));
      const count = reader.u16('Event count');
      return done(count === undefined ? '' : `: ${count} events${status === 0xffff ? ', busy' : ''}`);
    }
    case FunctionCode.ReportServerId: {
      const byteCount = reader.u8('Byte count');
      byteCountCheck(reader, byteCount);
      const serverId = reader.u8('Server id', hex8);
      const run = reader.u8('Run indicator', (value) => (value === 0xff ? 'ON' : value === 0 ? 'OFF' : 'not 0x00/0xFF: layout is device-specific'));
      if (reader.remaining > 0) reader.raw('Additional data', reader.remaining, 'text');
      return done(serverId === undefined ? '' : `: id ${hex8(serverId)}${run === undefined ? '' : `, run ${run === 0xff ? 'ON' : run === 0 ? 'OFF' : hex8(run)}`}`);
    }
    case FunctionCode.EncapsulatedInterface:
      return dissectDeviceIdentification(reader, functionCode);
    default:
      return unknownFunction(reader, functionCode);
  }
}

/** The address/value part shared by the write requests and their echoes. */
function dissectRequestBody(reader: FieldReader, functionCode: number): string {
  switch (functionCode) {
    case FunctionCode.WriteSingleCoil: {
      const address = reader.u16('Output address');
      const value = reader.u16('Output value', coilValueMeaning);
      return `${range(address, 1)}${value === undefined ? '' : ` = ${coilValueMeaning(value).split(' ')[0]}`}`;
    }
    case FunctionCode.WriteSingleRegister: {
      const address = reader.u16('Register address');
      const value = reader.u16('Register value', hex16);
      return `${range(address, 1)}${value === undefined ? '' : ` = ${value}`}`;
    }
    case FunctionCode.MaskWriteRegister: {
      const address = reader.u16('Reference address');
      const andMask = reader.u16('AND mask', hex16);
      const orMask = reader.u16('OR mask', hex16);
      return `${range(address, 1)}${andMask === undefined || orMask === undefined ? '' : ` AND ${hex16(andMask)} OR ${hex16(orMask)}`}`;
    }
    default: {
      const address = reader.u16('Starting address');
      const quantity = reader.u16('Quantity');
      return range(address, quantity);
    }
  }
}

function dissectDeviceIdentification(reader: FieldReader, functionCode: number): PduOutcome {
  const meiType = reader.u8('MEI type', meiName);
  if (meiType !== undefined && meiType !== MEI_READ_DEVICE_IDENTIFICATION) {
    reader.problems.push(`MEI type ${meiType} is not 14 (read device identification)`);
    reader.raw('MEI data', reader.remaining);
    return { summary: `Encapsulated Interface response, MEI type ${meiType}`, functionCode };
  }
  const code = reader.u8('Read device id code', deviceIdCodeName);
  reader.u8('Conformity level', conformityLevelName);
  const moreFollows = reader.u8('More follows', (value) => (value === 0xff ? 'yes' : value === 0 ? 'no' : 'not 0x00/0xFF'));
  reader.u8('Next object id', deviceIdObjectName);
  const count = reader.u8('Number of objects');
  const names: string[] = [];
  reader.group('Objects', () => {
    for (let index = 0; index < (count ?? 0) && !reader.isTruncated; index++) {
      const start = reader.position;
      if (reader.remaining < 2) {
        reader.u8('Object id');
        reader.u8('Object length');
        break;
      }
      const id = reader.pdu[start];
      const name = deviceIdObjectName(id);
      names.push(name);
      const value = reader.pdu.toString('latin1', start + 2, Math.min(reader.pdu.length, start + 2 + reader.pdu[start + 1]));
      reader.group(`Object ${hex8(id)}`, () => {
        reader.u8('Object id', deviceIdObjectName);
        const length = reader.u8('Object length');
        if (length !== undefined) reader.raw('Object value', length, 'text');
      }, value, name);
    }
  }, count ?? null);
  reader.extra(`${count ?? 0} objects`);
  const more = moreFollows === 0xff ? ', more follow' : '';
  return {
    summary: `${functionTitle(functionCode)} response${code === undefined ? '' : ` ${deviceIdCodeName(code)}`}: ${names.join(', ') || 'no objects'}${more}`,
    functionCode,
  };
}

function unknownFunction(reader: FieldReader, functionCode: number): PduOutcome {
  reader.problems.push(`unknown function code ${functionCode} (${hex8(functionCode)})`);
  if (reader.remaining > 0) reader.raw('Data', reader.remaining);
  return { summary: `unknown function ${hex8(functionCode)}`, functionCode };
}

function diagnosticName(subFunction: number): string {
  return subFunction === DIAGNOSTIC_RETURN_QUERY_DATA ? 'return query data' : `sub-function ${subFunction}`;
}

function meiName(type: number): string {
  return type === MEI_READ_DEVICE_IDENTIFICATION ? 'read device identification' : type === 13 ? 'CANopen general reference' : 'unknown MEI type';
}

/**
 * `bifrost-gateway write URL ADDRESS VALUE [--type T] [--order O]`: encoded as a tag
 * write is (FC 5 coil, FC 22 bit in a register, FC 6 one register, FC 16 wider), sent,
 * and read back. Prints the request in words, its PDU and the frame as it went on the
 * wire; exits 1 if the device refused it.
 */
import { formatAddress } from '../api/address';
import { isMaskWriteRefusal, sendTagWrite } from '../engine/bitWrites';
import { describeWrite } from '../engine/deviceRunner';
import { ModbusError } from '../protocol/errors';
import { FunctionCode } from '../protocol/functionCodes';
import type { ModbusRequest } from '../protocol/requests';
import { isFloat } from '../tags/dataTypes';
import { encodeTagWrite, WriteRefusedError, type TagWrite, type WriteValue } from '../tags/writeRequest';
import type { ResolvedTag } from '../tags/resolve';
import { parseCommandLine } from './args';
import { CommandFailedError } from './commandFailed';
import { ENDPOINT_FLAGS, parseEndpoint, withEndpoint } from './endpointTarget';
import { WRITE_HELP } from './oneShotHelp';
import { readValue } from './registerReads';
import { textTable } from './textTable';
import { UsageError } from './usageError';
import { parseValueTarget, VALUE_FLAGS } from './valueTarget';

const FLAGS = { ...ENDPOINT_FLAGS, ...VALUE_FLAGS } as const;

export async function writeCommand(args: readonly string[]): Promise<void> {
  const { flags, positionals } = parseCommandLine('write', args, FLAGS, ['URL', 'ADDRESS', 'VALUE']);
  if (flags.help) {
    process.stdout.write(WRITE_HELP);
    return;
  }
  const [url, address, text] = positionals;
  const endpoint = parseEndpoint('write', url, flags);
  const tag = parseValueTarget('write', address, flags);
  if (text === undefined) throw new UsageError('the VALUE to write is missing', 'write');
  const value = parseValue(tag, text);
  const json = flags.json ?? false;
  // Refused before anything opens: a write to an input, a value that does not fit the type.
  const encoded = encode(tag, value, 'fc22');

  await withEndpoint(endpoint, { json, verbose: flags.verbose ?? false }, async (open) => {
    open.takeFrames();
    let write = encoded;
    let fallback: string | undefined;
    let sent: ModbusRequest;
    try {
      try {
        sent = await sendTagWrite(open.session, write);
      } catch (error) {
        if (!isMaskWriteRefusal(write, error)) throw error;
        // Many PLCs have no FC 22: set the bit by reading the register and writing it back, as a device with bitWrite "auto" does.
        fallback = 'the device refuses FC 22 (mask write register): read the register, changed the bit, wrote it back with FC 6';
        write = encode(tag, value, 'readModifyWrite');
        sent = await sendTagWrite(open.session, write);
      }
    } catch (error) {
      if (error instanceof ModbusError) {
        const details = error.code === 'exception' && 'exceptionCode' in error ? { kind: 'exception', exceptionCode: error.exceptionCode } : { kind: error.code };
        throw new CommandFailedError(error.message, json, details);
      }
      throw error;
    }
    const frames = open.takeFrames().filter((frame) => frame.direction === 'tx');
    const readBack = await readValue(open, tag);
    const described = describeWrite({ ...write, request: sent });
    const wire = frames.map((frame) => spaced(frame.bytes.toString('hex')));
    const raw = readBack.failure ? undefined : (readBack.json.raw as number[]);
    const matches = raw === undefined ? undefined : holdsWrite(sent, tag, raw);
    const mismatch = 'the device holds something else now: it may clamp or ignore the value, or change this register itself';
    if (json) {
      process.stdout.write(
        `${JSON.stringify({
          endpoint: open.label,
          address: formatAddress({ table: tag.table, offset: tag.offset, bit: tag.bit }),
          type: tag.type,
          order: tag.order,
          description: write.description,
          function: described.function,
          pdu: described.frame,
          frames: frames.map((frame) => frame.bytes.toString('hex')),
          ...(fallback ? { fallback } : {}),
          readBack: readBack.failure ? { error: readBack.failure } : readBack.json,
          ...(matches === undefined ? {} : { matches }),
        })}\n`,
      );
    } else {
      const rows = [
        ['sent', write.description],
        ...(fallback ? [['note', fallback]] : []),
        ['PDU', spaced(described.frame)],
        ...wire.map((bytes, index) => [index === 0 ? `frame (${open.label.split(':')[0]})` : '', bytes]),
        ['read back', readBack.failure ? `failed: ${readBack.failure.message}` : `${readBack.rows[0][2]}  (${readBack.rows[0][3]})`],
        ...(matches === false ? [['note', mismatch]] : []),
      ];
      process.stdout.write(textTable(['', ''], rows).split('\n').slice(1).join('\n'));
    }
    if (readBack.failure) throw new CommandFailedError(`the write was sent, but reading it back failed: ${readBack.failure.message}`, json, { kind: 'readBack' });
  });
}

/** VALUE as typed: a number for the numeric types (checked here, so "abc" is not written as NaN), the text for a string, a state for a bool. */
function parseValue(tag: ResolvedTag, text: string): WriteValue {
  if (tag.type === 'bool' || tag.type === 'string') return text;
  if (tag.type === 'int64' || tag.type === 'uint64') return text.trim();
  const number = Number(text.trim());
  const finite = text.trim() !== '' && (Number.isFinite(number) || (isFloat(tag.type) && /^[-+]?(inf|infinity|nan)$/i.test(text.trim())));
  if (!finite) throw new UsageError(`VALUE "${text}" is not a number; ${tag.type} expects one${isFloat(tag.type) ? ', like 21.5' : ', like 1234 or 0x04D2'}`, 'write');
  if (Number.isFinite(number)) return number;
  return /nan/i.test(text) ? Number.NaN : text.trim().startsWith('-') ? -Infinity : Infinity;
}

function encode(tag: ResolvedTag, value: WriteValue, method: 'fc22' | 'readModifyWrite'): TagWrite {
  try {
    return encodeTagWrite('write', tag, value, method);
  } catch (error) {
    // "write: cannot write tag "HR:0" at HR:0: 70000 …" says it as a tag; here there is just the address.
    if (error instanceof WriteRefusedError) throw new UsageError(error.message.replace(/^write: cannot write tag "[^"]*" at /, 'cannot write '), 'write');
    throw error;
  }
}

/** Whether the registers (or bits) read back hold what the request wrote. */
function holdsWrite(sent: ModbusRequest, tag: ResolvedTag, raw: readonly number[]): boolean {
  switch (sent.functionCode) {
    case FunctionCode.WriteSingleCoil:
      return raw[0] === (sent.value ? 1 : 0);
    case FunctionCode.WriteSingleRegister:
      return tag.bit === undefined ? raw[0] === sent.value : ((raw[0] >> tag.bit) & 1) === ((sent.value >> tag.bit) & 1);
    case FunctionCode.MaskWriteRegister:
      return (raw[0] & ~sent.andMask & 0xffff) === (sent.orMask & ~sent.andMask & 0xffff);
    case FunctionCode.WriteMultipleRegisters:
      return sent.values.every((word, index) => raw[index] === word);
    default:
      return true;
  }
}

function spaced(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?=.)/g, '$1 ');
}

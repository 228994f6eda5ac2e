/**
 * The frame debugger's decoder: any byte string, as a Modbus TCP, RTU or ASCII
 * frame, becomes a field tree (offsets into the input as given), a one-line
 * summary and a list of problems. It never throws: a broken frame is described
 * (bad CRC, bad LRC, truncated, MBAP length mismatch, unknown function…).
 */
import type { DecodedFrame, FrameDirection, FrameField, Framing } from '../../api/frames';
import { crc16 } from '../crc16';
import { EXCEPTION_FLAG } from '../functionCodes';
import { LIMITS } from '../limits';
import { lrc } from '../lrc';
import { MBAP_HEADER_LENGTH, MODBUS_PROTOCOL_ID } from '../mbap';
import { FieldReader, hex16, hex8, spacedHex, type Placement } from './fieldReader';
import { dissectRequest, dissectResponse, type PduOutcome } from './pduFields';

export interface DecodeFrameOptions {
  framing: Framing;
  /** 'unknown' (the default): the decoder picks the direction the bytes fit and says so. */
  direction?: FrameDirection | 'unknown';
}

/** The envelope around the PDU: its own fields, the PDU and where its bytes sit. */
interface Envelope {
  header: FrameField[];
  trailer: FrameField[];
  pdu: Buffer;
  place: Placement;
  problems: string[];
  unitId?: number;
  transactionId?: number;
}

export function decodeFrame(bytes: Uint8Array, options: DecodeFrameOptions): DecodedFrame {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const envelope = unwrap(input, options.framing);
  const wanted = options.direction ?? 'unknown';
  const { direction, pdu } = wanted === 'unknown' ? inferDirection(envelope) : { direction: wanted, pdu: dissect(envelope, wanted) };
  const problems = [...envelope.problems, ...pdu.problems];
  const unit = envelope.unitId === undefined ? '' : ` unit ${envelope.unitId}`;
  const transaction = envelope.transactionId === undefined ? '' : ` transaction ${envelope.transactionId}`;
  const inferred = wanted === 'unknown' ? ` (direction inferred: ${direction})` : '';
  const broken = problems.length > 0 ? ` [${problems.length} problem${problems.length === 1 ? '' : 's'}]` : '';
  const frame: DecodedFrame = {
    framing: options.framing,
    direction,
    directionInferred: wanted === 'unknown',
    summary: `${pdu.outcome.summary}${unit}${transaction}${inferred}${broken}`,
    fields: [...envelope.header, ...pdu.fields, ...envelope.trailer],
    problems,
  };
  if (envelope.unitId !== undefined) frame.unitId = envelope.unitId;
  if (envelope.transactionId !== undefined) frame.transactionId = envelope.transactionId;
  if (pdu.outcome.functionCode !== undefined) frame.functionCode = pdu.outcome.functionCode;
  if (pdu.outcome.exceptionCode !== undefined) frame.exceptionCode = pdu.outcome.exceptionCode;
  return frame;
}

interface Dissection {
  outcome: PduOutcome;
  fields: FrameField[];
  problems: string[];
}

function dissect(envelope: Envelope, direction: FrameDirection): Dissection {
  const problems: string[] = [];
  const reader = new FieldReader(envelope.pdu, envelope.place, problems);
  let outcome: PduOutcome = { summary: 'empty frame' };
  if (envelope.pdu.length > 0) {
    outcome = reader.group('PDU', () => (direction === 'request' ? dissectRequest(reader) : dissectResponse(reader)));
  } else {
    problems.push('truncated: no PDU (no function code)');
  }
  return { outcome, fields: reader.fields, problems };
}

/**
 * An exception flag means a response. Otherwise both readings are tried and the one
 * with fewer problems wins; on a tie (FC 5/6 echoes are byte-identical) the request.
 */
function inferDirection(envelope: Envelope): { direction: FrameDirection; pdu: Dissection } {
  if (envelope.pdu.length > 0 && envelope.pdu[0] & EXCEPTION_FLAG) return { direction: 'response', pdu: dissect(envelope, 'response') };
  const request = dissect(envelope, 'request');
  const response = dissect(envelope, 'response');
  return response.problems.length < request.problems.length
    ? { direction: 'response', pdu: response }
    : { direction: 'request', pdu: request };
}

function unwrap(input: Buffer, framing: Framing): Envelope {
  switch (framing) {
    case 'tcp':
      return unwrapTcp(input);
    case 'rtu':
      return unwrapRtu(input);
    case 'ascii':
      return unwrapAscii(input);
  }
}

function field(offset: number, length: number, name: string, value: FrameField['value'], meaning?: string): FrameField {
  return meaning === undefined ? { offset, length, name, value } : { offset, length, name, value, meaning };
}

function unitMeaning(unitId: number, framing: Framing): string | undefined {
  if (unitId === 0) return framing === 'tcp' ? 'unit 0 (broadcast on a serial bus behind a gateway)' : 'broadcast: no reply expected';
  if (unitId === 0xff && framing === 'tcp') return 'unit 255 (the TCP device itself)';
  if (unitId > 247 && framing !== 'tcp') return 'reserved address (248–255)';
  return undefined;
}

function unwrapTcp(input: Buffer): Envelope {
  const problems: string[] = [];
  const header: FrameField[] = [];
  const children: FrameField[] = [];
  let transactionId: number | undefined;
  let unitId: number | undefined;
  let declared: number | undefined;
  if (input.length >= 2) {
    transactionId = input.readUInt16BE(0);
    children.push(field(0, 2, 'Transaction id', transactionId));
  }
  if (input.length >= 4) {
    const protocolId = input.readUInt16BE(2);
    const ok = protocolId === MODBUS_PROTOCOL_ID;
    children.push(field(2, 2, 'Protocol id', protocolId, ok ? 'Modbus' : 'not Modbus (must be 0)'));
    if (!ok) problems.push(`protocol id ${protocolId} ≠ 0: not a Modbus frame, or the stream lost its framing`);
  }
  if (input.length >= 6) {
    declared = input.readUInt16BE(4);
    children.push(field(4, 2, 'Length', declared, `${declared} bytes follow (unit id + PDU)`));
    if (declared > LIMITS.mbapLength) problems.push(`MBAP length ${declared} is over the limit of ${LIMITS.mbapLength} (limit mbapLength)`);
    if (declared < 2) problems.push(`MBAP length ${declared} is too small: a frame carries a unit id and a function code`);
  }
  if (input.length >= 7) {
    unitId = input[6];
    children.push(field(6, 1, 'Unit id', unitId, unitMeaning(unitId, 'tcp')));
  }
  if (input.length < MBAP_HEADER_LENGTH) {
    problems.push(`truncated: ${input.length} byte${input.length === 1 ? '' : 's'}, an MBAP header needs ${MBAP_HEADER_LENGTH}`);
  }
  if (children.length > 0) {
    header.push(field(0, Math.min(input.length, MBAP_HEADER_LENGTH), 'MBAP header', transactionId ?? null, undefined));
    header[0].children = children;
  }
  let end = input.length;
  const trailer: FrameField[] = [];
  if (declared !== undefined && input.length >= MBAP_HEADER_LENGTH) {
    const announced = 6 + declared;
    if (input.length < announced) {
      problems.push(`MBAP length mismatch: the length field says ${declared} bytes follow it, only ${input.length - 6} do (truncated)`);
    } else if (input.length > announced && declared >= 2) {
      problems.push(`MBAP length mismatch: the length field says ${declared} bytes follow it, ${input.length - 6} do`);
      end = announced;
      trailer.push(field(announced, input.length - announced, 'Bytes after the frame', spacedHex(input.subarray(announced))));
    }
  }
  return {
    header,
    trailer,
    pdu: input.subarray(Math.min(MBAP_HEADER_LENGTH, input.length), end),
    place: (index, length) => ({ offset: MBAP_HEADER_LENGTH + index, length }),
    problems,
    unitId,
    transactionId,
  };
}

/** The smallest RTU frame: address, function code, CRC. */
const RTU_MIN_LENGTH = 4;

function unwrapRtu(input: Buffer): Envelope {
  const problems: string[] = [];
  const header: FrameField[] = [];
  const trailer: FrameField[] = [];
  let unitId: number | undefined;
  if (input.length >= 1) {
    unitId = input[0];
    header.push(field(0, 1, 'Unit id', unitId, unitMeaning(unitId, 'rtu')));
  }
  if (input.length > LIMITS.pduLength + 3) problems.push(`${input.length} bytes: an RTU frame is at most ${LIMITS.pduLength + 3}`);
  if (input.length < RTU_MIN_LENGTH) {
    problems.push(`truncated: ${input.length} byte${input.length === 1 ? '' : 's'}, an RTU frame needs at least ${RTU_MIN_LENGTH} (address, function, CRC)`);
    return { header, trailer, pdu: input.subarray(Math.min(1, input.length)), place: (index, length) => ({ offset: 1 + index, length }), problems, unitId };
  }
  const crcAt = input.length - 2;
  const expected = crc16(input, 0, crcAt);
  const found = input[crcAt] | (input[crcAt + 1] << 8);
  const good = expected === found;
  trailer.push(field(crcAt, 2, 'CRC', hex16(found), good ? 'correct' : `bad: expected ${hex16(expected)}`));
  if (!good) {
    problems.push(
      `bad CRC: expected ${hex16(expected)} (${spacedHex(Buffer.of(expected & 0xff, expected >>> 8))} on the wire), ` +
        `found ${hex16(found)} (${spacedHex(input.subarray(crcAt))})`,
    );
  }
  return { header, trailer, pdu: input.subarray(1, crcAt), place: (index, length) => ({ offset: 1 + index, length }), problems, unitId };
}

/**
 * ASCII: ':' then two hex characters per byte (address, PDU, LRC), then CR LF.
 * Offsets point at the characters, so the debugger highlights what the user pasted.
 */
function unwrapAscii(input: Buffer): Envelope {
  const problems: string[] = [];
  const header: FrameField[] = [];
  const trailer: FrameField[] = [];
  const text = input.toString('latin1');
  let start = 0;
  if (text.startsWith(':')) {
    header.push(field(0, 1, 'Start', ':'));
    start = 1;
  } else {
    problems.push(`an ASCII frame starts with ':', this starts with ${JSON.stringify(text.slice(0, 1)) || 'nothing'}`);
  }
  let end = text.length;
  if (text.endsWith('\r\n')) {
    end -= 2;
    trailer.push(field(end, 2, 'End', 'CR LF'));
  } else {
    problems.push('truncated: an ASCII frame ends with CR LF, this does not');
  }
  let hexText = text.slice(start, end);
  const bad = hexText.search(/[^0-9A-Fa-f]/);
  if (bad >= 0) {
    problems.push(`character ${JSON.stringify(hexText[bad])} at offset ${start + bad} is not a hex digit`);
    hexText = hexText.slice(0, bad);
  }
  if (hexText.length % 2 === 1) {
    problems.push(`odd number of hex digits (${hexText.length}): the last byte is cut`);
    hexText = hexText.slice(0, -1);
  }
  if (/[a-f]/.test(hexText)) problems.push('lower-case hex digits: the spec sends upper case (most devices accept both)');
  const binary = Buffer.from(hexText, 'hex');
  const at = (index: number, length: number) => ({ offset: start + index * 2, length: length * 2 });
  let unitId: number | undefined;
  if (binary.length >= 1) {
    unitId = binary[0];
    header.push({ ...at(0, 1), name: 'Unit id', value: unitId, ...optionalMeaning(unitMeaning(unitId, 'ascii')) });
  }
  if (binary.length < 3) {
    problems.push(`truncated: ${binary.length} byte${binary.length === 1 ? '' : 's'}, an ASCII frame needs at least 3 (address, function, LRC)`);
    return { header, trailer, pdu: binary.subarray(Math.min(1, binary.length)), place: (index, length) => at(1 + index, length), problems, unitId };
  }
  const lrcAt = binary.length - 1;
  const expected = lrc(binary, 0, lrcAt);
  const found = binary[lrcAt];
  trailer.unshift({ ...at(lrcAt, 1), name: 'LRC', value: hex8(found), meaning: expected === found ? 'correct' : `bad: expected ${hex8(expected)}` });
  if (expected !== found) problems.push(`bad LRC: expected ${hex8(expected)}, found ${hex8(found)}`);
  return { header, trailer, pdu: binary.subarray(1, lrcAt), place: (index, length) => at(1 + index, length), problems, unitId };
}

function optionalMeaning(meaning: string | undefined): { meaning?: string } {
  return meaning === undefined ? {} : { meaning };
}

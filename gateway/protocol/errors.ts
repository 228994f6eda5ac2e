/**
 * Every way a Modbus request can fail, as typed errors whose message a user
 * understands without the spec at hand:
 *
 *   "Demo: no reply from unit 1 to read holding registers 0–9 within 1000 ms"
 *
 * Each error carries the request it belongs to (device, unit, function, address,
 * quantity) and what was expected, so the engine can show it on a tag and the
 * frame debugger can link it to the frames.
 */
import { exceptionName, formatExceptionCode } from './exceptions';
import { FunctionCode, functionName } from './functionCodes';
import { LIMITS, type LimitName } from './limits';

/** What a request was about. Protocol code fills what it knows; the engine adds the device. */
export interface RequestContext {
  device?: string;
  unitId?: number;
  functionCode?: number;
  address?: number;
  quantity?: number;
}

/** "read holding registers 0–9", "write single coil 12", or "a request" when nothing is known. */
export function describeRequest(context: RequestContext): string {
  const { functionCode, address, quantity } = context;
  if (functionCode === undefined) return 'a request';
  const name = functionName(functionCode);
  if (address === undefined) return name;
  const single =
    functionCode === FunctionCode.WriteSingleCoil ||
    functionCode === FunctionCode.WriteSingleRegister ||
    functionCode === FunctionCode.MaskWriteRegister;
  if (single || quantity === undefined || quantity <= 1) return `${name} ${address}`;
  return `${name} ${address}–${address + quantity - 1}`;
}

function devicePrefix(context: RequestContext): string {
  return context.device ? `${context.device}: ` : '';
}

function unitText(context: RequestContext): string {
  return context.unitId === undefined ? 'the device' : `unit ${context.unitId}`;
}

/**
 * What kind of failure, as a string that survives minification (class names do not:
 * the shipped bundle renames them). Recognise errors by `instanceof` or by this.
 */
export type ModbusErrorCode = 'exception' | 'timeout' | 'connectionClosed' | 'badFrame' | 'protocolLimit' | 'unitDown';

export abstract class ModbusError extends Error {
  abstract readonly code: ModbusErrorCode;
  readonly context: RequestContext;
  /** What the gateway expected instead, in words: "a reply within 1000 ms". */
  readonly expected: string;

  protected constructor(message: string, context: RequestContext, expected: string) {
    super(message);
    this.name = new.target.name;
    this.context = { ...context };
    this.expected = expected;
  }

  get device(): string | undefined {
    return this.context.device;
  }
  get unitId(): number | undefined {
    return this.context.unitId;
  }
  get functionCode(): number | undefined {
    return this.context.functionCode;
  }
  get address(): number | undefined {
    return this.context.address;
  }
}

/** The device answered, but with an exception response. */
export class ModbusExceptionError extends ModbusError {
  readonly code = 'exception';
  readonly exceptionCode: number;
  readonly exceptionName: string;

  constructor(context: RequestContext, exceptionCode: number) {
    const name = exceptionName(exceptionCode);
    super(
      `${devicePrefix(context)}${unitText(context)} refused ${describeRequest(context)}: ` +
        `exception ${formatExceptionCode(exceptionCode)} (${name})`,
      context,
      'a normal response',
    );
    this.exceptionCode = exceptionCode;
    this.exceptionName = name;
  }
}

/** No reply arrived in time. The request is forgotten; a late reply will be dropped as stale. */
export class TimeoutError extends ModbusError {
  readonly code = 'timeout';
  readonly timeoutMs: number;

  constructor(context: RequestContext, timeoutMs: number) {
    super(
      `${devicePrefix(context)}no reply from ${unitText(context)} to ${describeRequest(context)} within ${timeoutMs} ms`,
      context,
      `a reply within ${timeoutMs} ms`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The link closed while the request was outstanding, or was not open to send it. */
export class ConnectionClosedError extends ModbusError {
  readonly code = 'connectionClosed';
  /** Why, when known: "connection reset by peer", "disconnected by user". */
  readonly reason?: string;
  readonly wasSent: boolean;

  constructor(context: RequestContext, options: { wasSent: boolean; reason?: string }) {
    const why = options.reason ? ` (${options.reason})` : '';
    const message = options.wasSent
      ? `${devicePrefix(context)}connection closed before ${unitText(context)} answered ${describeRequest(context)}${why}`
      : `${devicePrefix(context)}cannot send ${describeRequest(context)} to ${unitText(context)}: not connected${why}`;
    super(message, context, 'an open connection');
    this.reason = options.reason;
    this.wasSent = options.wasSent;
  }
}

/** Bytes that do not form the frame or reply they should. */
export class FrameError extends ModbusError {
  readonly code = 'badFrame';
  readonly actual?: string;

  constructor(context: RequestContext, expected: string, actual?: string) {
    const got = actual === undefined ? '' : `, got ${actual}`;
    const what =
      context.functionCode === undefined
        ? 'bad frame'
        : `bad reply from ${unitText(context)} to ${describeRequest(context)}`;
    super(`${devicePrefix(context)}${what}: expected ${expected}${got}`, context, expected);
    this.actual = actual;
  }
}

const LIMIT_UNITS: Record<LimitName, string> = {
  readRegisters: 'registers per read',
  writeRegisters: 'registers per write',
  readWriteRegisters: 'registers written by one read/write multiple registers',
  readBits: 'bits per read',
  writeBits: 'coils per write',
  mbapLength: 'bytes in the MBAP length field',
  pduLength: 'bytes per PDU',
};

/** A request that the spec forbids; raised before anything is sent. */
export class ProtocolLimitError extends ModbusError {
  readonly code = 'protocolLimit';
  readonly limit: LimitName;
  readonly maximum: number;
  readonly actual: number;

  constructor(context: RequestContext, limit: LimitName, actual: number) {
    const maximum = LIMITS[limit];
    const units = LIMIT_UNITS[limit];
    // "cannot read holding registers 0–199", or "cannot send a frame" when only the frame is known.
    const what = context.functionCode === undefined ? 'send a frame' : describeRequest(context);
    super(
      `${devicePrefix(context)}cannot ${what}: Modbus allows at most ${maximum} ${units} ` +
        `(limit ${limit}), this needs ${actual}`,
      context,
      `at most ${maximum} ${units}`,
    );
    this.limit = limit;
    this.maximum = maximum;
    this.actual = actual;
  }
}

/**
 * The frame debugger's replay and hand-written frames: a request frame (captured,
 * or typed as hex) goes to its device through the device's own session, so it
 * waits its turn on the device's queue (one at a time on a serial bus), gets the
 * session's transaction id and timeout, and shows up in the capture ring like any
 * poll. What comes back is the reply frame as captured on the wire, decoded.
 *
 * The frame is checked twice before it goes: by the decoder (a broken frame is
 * refused with the decoder's own words) and by the request codec, because the
 * session sends requests it can encode, not arbitrary bytes. So the wire frame
 * differs from the typed one only where the session owns the value: the
 * transaction id and (on a serial line) the CRC or LRC, both recomputed.
 */
import { linkFraming, type CapturedFrame, type ExchangeResult, type ExchangedFrame } from '../api/capture';
import { isProxyLink, isRequestFrame } from '../api/linkFraming';
import type { Device } from '../api/config';
import type { DecodedFrame, Framing } from '../api/frames';
import { decodeFrame } from '../protocol/decoder';
import { ModbusError } from '../protocol/errors';
import { EXCEPTION_FLAG } from '../protocol/functionCodes';
import { isOpaque, opaqueRequest, type OpaqueRequest } from '../protocol/opaque';
import { decodeRequest, encodeRequest, type ModbusRequest } from '../protocol/requests';
import { readValues } from './readReply';
import type { CaptureRing } from './ring';

/** What an exchange needs of the engine (an interface, so tests can stand in for it). */
export interface ExchangeTarget {
  readonly capture: CaptureRing;
  deviceConfig(name: string): Device;
  /**
   * The request PDU to `unitId` through the device's session; resolves with the reply PDU
   * (an exception reply included). `correlation` marks the request frame in the capture.
   */
  sendPdu(name: string, unitId: number, pdu: Buffer, correlation?: string): Promise<Buffer>;
}

/** The frame cannot be sent: the message says why, in the decoder's or codec's words. */
export class FrameRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameRefusedError';
  }
}

export function deviceFraming(device: Device): Framing {
  switch (device.transport.kind) {
    case 'tcp':
    case 'demo':
      return 'tcp';
    case 'ascii':
      return 'ascii';
    default:
      return 'rtu';
  }
}

/** Unit id + PDU out of a whole frame, after the decoder has found no problem with it. */
function unwrap(bytes: Buffer, framing: Framing): { unitId: number; pdu: Buffer } {
  switch (framing) {
    case 'tcp':
      return { unitId: bytes[6], pdu: bytes.subarray(7) };
    case 'rtu':
      return { unitId: bytes[0], pdu: bytes.subarray(1, -2) };
    case 'ascii': {
      const binary = Buffer.from(bytes.toString('latin1').slice(1, -2), 'hex');
      return { unitId: binary[0], pdu: binary.subarray(1, -1) };
    }
  }
}

/**
 * Checks a request frame for `device`; returns the request the session will send. A
 * function the codec does not know (a vendor or user-defined code) is sent as its
 * bytes, as a proxy forwards it (opaque.ts): the decoder's "unknown function" is no
 * reason to refuse, anything else it finds wrong is.
 */
export function validateRequestFrame(bytes: Buffer, framing: Framing, device: Device): { request: ModbusRequest | OpaqueRequest; decoded: DecodedFrame } {
  const expected = deviceFraming(device);
  if (framing !== expected) throw new FrameRefusedError(`${device.name} speaks ${expected} framing, the frame is ${framing}`);
  const decoded = decodeFrame(bytes, { framing, direction: 'request' });
  const framingProblems = decoded.problems.filter((problem) => !problem.startsWith('unknown function code'));
  if (framingProblems.length > 0) throw new FrameRefusedError(`the frame is broken: ${framingProblems.join('; ')}`);
  const { unitId, pdu } = unwrap(bytes, framing);
  if (unitId !== device.unitId) {
    throw new FrameRefusedError(`the frame is for unit ${unitId}, ${device.name} is unit ${device.unitId}: its session sends to its own unit`);
  }
  const parsed = decodeRequest(pdu);
  if (parsed.ok) return { request: parsed.request, decoded };
  if (parsed.rejection.unsupported) return { request: opaqueRequest(Buffer.from(pdu)), decoded };
  throw new FrameRefusedError(`the gateway cannot send this request: ${parsed.rejection.reason}`);
}

/** Sends a captured request (tx frame) again to the device it went to. */
export function replayFrame(target: ExchangeTarget, frameId: number): Promise<ExchangeResult> {
  const frame = target.capture.snapshot().frames.find((f) => f.id === frameId);
  if (!frame) throw new FrameRefusedError(`frame ${frameId} is no longer in the capture ring`);
  if (frame.hex === '') throw new FrameRefusedError(`frame ${frameId} marks a request that got no reply: there are no bytes to send`);
  if (!isRequestFrame(frame)) throw new FrameRefusedError(`frame ${frameId} is a reply: only requests can be replayed`);
  if (isProxyLink(frame.link)) {
    // Its unit id may be remapped and its framing differ from the device's: the device leg is what went out.
    throw new FrameRefusedError(`frame ${frameId} is a proxy client's request: replay the request the proxy sent to the device (same correlation)`);
  }
  if (frame.device === undefined) throw new FrameRefusedError(`frame ${frameId} belongs to no configured device`);
  return sendFrame(target, frame.device, Buffer.from(frame.hex, 'hex'), linkFraming(frame.link));
}

let exchangeCount = 0;

export async function sendFrame(target: ExchangeTarget, deviceName: string, bytes: Buffer, framing?: Framing): Promise<ExchangeResult> {
  const device = target.deviceConfig(deviceName);
  const chosen = framing ?? deviceFraming(device);
  const { request, decoded } = validateRequestFrame(bytes, chosen, device);
  const pdu = isOpaque(request) ? request.opaque : encodeRequest(request);
  // Our request is told apart by its correlation: the device's own polls may send the
  // very same PDU just before or after it, and their replies must not be taken for ours.
  const correlation = `${framing === undefined ? 'sent' : 'replay'} #${++exchangeCount}`;
  const seen: CapturedFrame[] = [];
  const unsubscribe = target.capture.subscribe((f) => {
    if (f.device === deviceName) seen.push(f);
  });
  const started = performance.now();
  let error: string | undefined;
  let replyPdu: Buffer | undefined;
  try {
    replyPdu = await target.sendPdu(deviceName, device.unitId, pdu, correlation);
  } catch (caught) {
    if (caught instanceof ModbusError) error = caught.message;
    else throw caught;
  } finally {
    unsubscribe();
  }
  const elapsed = performance.now() - started;
  const sent = seen.find((f) => f.direction === 'tx' && f.correlation === correlation);
  const reply = sent && findReply(seen, sent, chosen);
  const requestSide: ExchangedFrame = sent ? exchanged(sent, chosen, 'request') : { hex: bytes.toString('hex'), decoded };
  const result: ExchangeResult = { device: deviceName, request: requestSide };
  if (reply && error === undefined) {
    result.response = exchanged(reply, chosen, 'response');
    result.roundTripMs = reply.ts - sent.ts;
  } else if (replyPdu && replyPdu[0] & EXCEPTION_FLAG) {
    // Not found on the wire (cannot happen with a working link hook); say what the session got.
    result.response = { hex: replyPdu.toString('hex'), decoded: decodeFrame(replyPdu, { framing: 'tcp', direction: 'response' }) };
    result.roundTripMs = elapsed;
  }
  if (error !== undefined) result.error = error;
  const read = replyPdu && !isOpaque(request) ? readValues(request, replyPdu) : undefined;
  if (read) result.read = read;
  return result;
}

function exchanged(frame: CapturedFrame, framing: Framing, direction: 'request' | 'response'): ExchangedFrame {
  return { frameId: frame.id, hex: frame.hex, decoded: decodeFrame(Buffer.from(frame.hex, 'hex'), { framing, direction }) };
}

/** Its reply: on TCP the rx frame with the same transaction id, on a serial line the next rx frame. */
function findReply(seen: readonly CapturedFrame[], sent: CapturedFrame, framing: Framing): CapturedFrame | undefined {
  const after = seen.filter((f) => f.id > sent.id && f.direction === 'rx' && f.note === undefined);
  if (framing !== 'tcp') return after[0];
  const tid = sent.hex.slice(0, 4);
  return after.find((f) => f.hex.startsWith(tid));
}

/**
 * The demo device served over a serial line, as RTU or ASCII, for the unit ids
 * given: others stay silent, like absent devices on a real bus, and unit 0
 * (broadcast) is acted on without a reply.
 *
 * A pseudo-terminal has no baud rate: bytes arrive at once. To make scan times
 * comparable with a real line (and with the spec's arithmetic), each reply is
 * held back by the time the request and the reply would take on the wire, plus
 * t3.5 of turnaround: (request bytes + reply bytes) × bits per character / baud.
 */
import type { Logger } from '../engine/logger';
import { decodeAsciiFrame } from '../protocol/asciiFraming';
import { decodeRtuFrame, type UnitPdu } from '../protocol/rtuFraming';
import { preciseDelay } from '../transport/preciseDelay';
import { SerialLink } from '../transport/serial';
import { describeLine, interFrameSilenceMs, wireTimeMs, type LineSettings } from '../transport/serialTiming';
import { DemoDevice } from './demoDevice';
import type { FaultPlan, InjectionHook } from './faultPlan';
import { encodeReply, planDelivery, type Delivery } from './faultyReply';
import { handleRequestPdu } from './requestHandler';

export interface SerialSimulatorOptions {
  path: string;
  framing: 'rtu' | 'ascii';
  line: LineSettings;
  /** Unit ids that answer. */
  units: readonly number[];
  /** Hold replies back by their wire time (default true). */
  emulateWireTime?: boolean;
  /** What the simulator does, at debug level: frames it drops, faults it injects. */
  logger?: Logger;
  /** Faults to inject on purpose (faultPlan.ts), per unit id. */
  faults?: FaultPlan;
  onInjected?: InjectionHook;
  /** The link closed without being asked to (the other end of the line went away). */
  onClosed?: (error: Error | undefined) => void;
}

export interface SerialSimulator {
  readonly device: DemoDevice;
  readonly description: string;
  /** Requests answered, per unit id. */
  readonly answered: Map<number, number>;
  close(): Promise<void>;
}

export async function startSerialSimulator(options: SerialSimulatorOptions): Promise<SerialSimulator> {
  const link = await SerialLink.open({ ...options.line, path: options.path, framing: options.framing, role: 'request' });
  const device = new DemoDevice();
  const units = new Set(options.units);
  const answered = new Map<number, number>();
  const emulate = options.emulateWireTime ?? true;
  const log = (message: string) => options.logger?.log('debug', message);
  let closing = false;
  // Replies leave in order, one at a time, like a device's single UART.
  let replying: Promise<void> = Promise.resolve();
  /** Replies a "coalesce" fault holds back for the next write. */
  const held: Buffer[] = [];

  link.on('discard', (bytes, reason) => log(`dropped ${bytes.length} byte(s): ${reason}`));
  link.on('close', (error) => {
    if (!closing) options.onClosed?.(error);
  });
  link.on('frame', (wire) => {
    const request = decodeFrame(options.framing, wire);
    if (!request) return log(`dropped a frame that does not decode: ${wire.toString('hex')}`);
    const broadcast = request.unitId === 0;
    if (!broadcast && !units.has(request.unitId)) return; // not us: stay silent
    const chosen = broadcast ? undefined : options.faults?.choose(request.unitId);
    device.update();
    // A silent device does not act on what it hears; any other still does the work.
    const replyPdu = chosen?.fault.kind === 'silence' ? undefined : handleRequestPdu(device.model, request.pdu);
    if (broadcast || (!replyPdu && !chosen)) return;
    const header = { unitId: request.unitId, functionCode: request.pdu[0] ?? 0 };
    const delivery: Delivery = chosen
      ? planDelivery(options.framing, header, replyPdu, chosen.fault)
      : { kind: 'send', bytes: encodeReply(options.framing, header, replyPdu!), delayMs: 0 };
    if (chosen) {
      const sent = delivery.kind === 'send' || delivery.kind === 'hold' ? { bytes: delivery.bytes } : {};
      options.onInjected?.({ label: chosen.label, unitId: request.unitId, ...sent });
      log(`${chosen.label} (unit ${request.unitId})`);
    }
    if (delivery.kind === 'hold') held.push(delivery.bytes);
    if (delivery.kind !== 'send') return;
    const bytes = held.length > 0 ? Buffer.concat([...held.splice(0), delivery.bytes]) : delivery.bytes;
    const wireTime = emulate
      ? wireTimeMs(wire.length + bytes.length, options.line) + (options.framing === 'rtu' ? interFrameSilenceMs(options.line) : 0)
      : 0;
    const delay = delivery.delayMs + wireTime;
    replying = replying.then(async () => {
      if (delay > 0) await preciseDelay(delay);
      if (closing) return;
      if (delivery.gapMs === undefined) link.send(bytes);
      else await sendByteByByte(bytes, delivery.gapMs, () => closing);
      answered.set(request.unitId, (answered.get(request.unitId) ?? 0) + 1);
    });
  });

  async function sendByteByByte(bytes: Buffer, gapMs: number, stop: () => boolean): Promise<void> {
    for (let i = 0; i < bytes.length && !stop(); i++) {
      link.send(bytes.subarray(i, i + 1));
      if (gapMs > 0 && i + 1 < bytes.length) await preciseDelay(gapMs);
    }
  }

  return {
    device,
    description: `${options.framing.toUpperCase()} on ${options.path} at ${describeLine(options.line)}, unit(s) ${[...units].join(',')}`,
    answered,
    close: async () => {
      closing = true;
      await link.close();
    },
  };
}

function decodeFrame(framing: 'rtu' | 'ascii', wire: Buffer): UnitPdu | undefined {
  if (framing === 'rtu') return decodeRtuFrame(wire);
  const decoded = decodeAsciiFrame(wire);
  return decoded.ok ? decoded.frame : undefined;
}

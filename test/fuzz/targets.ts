/**
 * What one fuzzed frame goes through: every parser a byte from a device or a
 * client meets (the frame debugger's decoder in each framing and direction, the
 * request and response codecs, the MBAP reassembler, the RTU and ASCII splitters,
 * and the proxy's client-side parser). Exceptions a parser declares (FrameError:
 * "this is not a frame") are answers; anything else escaping is a bug and counted.
 * Streaming parsers keep their state across frames, as on a real connection, and
 * must never buffer more than a frame's worth.
 */
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { AsciiFrameSplitter, decodeAsciiFrame, ASCII_MAX_FRAME } from '../../gateway/protocol/asciiFraming';
import { decodeFrame } from '../../gateway/protocol/decoder';
import { FrameError } from '../../gateway/protocol/errors';
import { decodeMbapFrame } from '../../gateway/protocol/mbap';
import { MbapReassembler } from '../../gateway/protocol/mbapReassembler';
import { decodeRequest, type ModbusRequest } from '../../gateway/protocol/requests';
import { decodeResponse } from '../../gateway/protocol/responses';
import { RTU_MAX_FRAME, RtuFrameSplitter } from '../../gateway/protocol/rtuFraming';
import { ProxyClient } from '../../gateway/proxy/proxyClient';

/** Requests a fuzzed reply is decoded against: one of each shape of reply. */
const ASKED: ModbusRequest[] = [
  { functionCode: 3, address: 0, quantity: 2 },
  { functionCode: 1, address: 0, quantity: 10 },
  { functionCode: 6, address: 1, value: 2 },
  { functionCode: 16, address: 1, values: [1, 2] },
  { functionCode: 8, subFunction: 0, data: [0x1234] },
  { functionCode: 17 },
  { functionCode: 43, deviceIdCode: 1, objectId: 0 },
  { functionCode: 23, address: 0, quantity: 1, writeAddress: 0, values: [1] },
];

export interface FuzzFailure {
  parser: string;
  error: unknown;
  frame: Buffer;
}

/** A socket the proxy's client parser can sit on without a network: bytes go in by emit('data'). */
class LoopbackSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  destroyed = false;
  written = 0;
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  /** The proxy arms its idle timer; nothing here is ever idle long enough to matter. */
  setTimeout(): this {
    return this;
  }
  get writableLength(): number {
    return 0;
  }
  end(): this {
    return this.destroy();
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  write(bytes: Buffer): boolean {
    this.written += bytes.length;
    return true;
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.emit('close');
    }
    return this;
  }
}

export class FuzzTargets {
  /** The first few failures, kept whole; `failureCount` counts them all. */
  readonly failures: FuzzFailure[] = [];
  failureCount = 0;
  /** The slowest single call of each parser, in ms. */
  readonly slowest = new Map<string, number>();
  /** Time spent in each parser, in ms. */
  readonly total = new Map<string, number>();
  /** Requests the proxy's parser took from the fuzzed stream, and bad streams it closed. */
  proxyRequests = 0;
  proxyClosed = 0;
  private mbap = new MbapReassembler();
  private readonly rtuResponses = new RtuFrameSplitter('response');
  private readonly rtuRequests = new RtuFrameSplitter('request');
  private readonly ascii = new AsciiFrameSplitter();
  private proxySocket = new LoopbackSocket();
  private proxyClient = this.newProxyClient();

  /** Feed one frame (or any bytes) to every parser. */
  feed(frame: Buffer): void {
    for (const framing of ['tcp', 'rtu', 'ascii'] as const) {
      for (const direction of ['request', 'response', 'unknown'] as const) {
        this.guard(`decodeFrame ${framing} ${direction}`, frame, () => {
          const decoded = decodeFrame(frame, { framing, direction });
          if (typeof decoded.summary !== 'string' || !Array.isArray(decoded.problems)) throw new Error('decodeFrame returned no summary or problems');
          checkFields(decoded.fields, frame.length);
        });
      }
    }
    this.guard('decodeRequest', frame, () => decodeRequest(frame));
    const asked = ASKED[frame.length % ASKED.length];
    this.guard(`decodeResponse to FC ${asked.functionCode}`, frame, () => decodeResponse(frame, asked), true);
    this.guard('decodeMbapFrame', frame, () => decodeMbapFrame(frame), true);
    this.guard('decodeAsciiFrame', frame, () => decodeAsciiFrame(frame));
    this.guard('MbapReassembler', frame, () => {
      try {
        this.mbap.push(frame);
      } catch (error) {
        // A bad header ends the stream (the link closes); a new connection starts clean.
        this.mbap = new MbapReassembler();
        throw error;
      }
      if (this.mbap.bufferedBytes > 260) throw new Error(`MbapReassembler holds ${this.mbap.bufferedBytes} bytes`);
    }, true);
    this.guard('RtuFrameSplitter response', frame, () => bounded(this.rtuResponses.push(frame), this.rtuResponses.bufferedBytes, 2 * RTU_MAX_FRAME));
    this.guard('RtuFrameSplitter request', frame, () => bounded(this.rtuRequests.push(frame), this.rtuRequests.bufferedBytes, 2 * RTU_MAX_FRAME));
    this.guard('AsciiFrameSplitter', frame, () => bounded(this.ascii.push(frame), this.ascii.bufferedBytes, ASCII_MAX_FRAME + 1));
    this.guard('proxy client parser', frame, () => {
      if (!this.proxyClient.isOpen) this.proxyClient = this.newProxyClient();
      this.proxySocket.emit('data', frame);
    });
  }

  private newProxyClient(): ProxyClient {
    this.proxySocket = new LoopbackSocket();
    return new ProxyClient(this.proxySocket as unknown as net.Socket, {
      // As ModbusProxy.receive does with each whole frame.
      onRequest: (_client, mbap) => {
        this.proxyRequests++;
        decodeRequest(mbap.pdu);
      },
      onBadFrame: () => this.proxyClosed++,
      onDrop: () => this.proxyClosed++,
      onClose: () => {},
    }, { idleTimeoutMs: 60_000, maxQueued: 64 });
  }

  private guard(parser: string, frame: Buffer, run: () => unknown, frameErrorsAllowed = false): void {
    const started = performance.now();
    try {
      run();
    } catch (error) {
      if (frameErrorsAllowed && error instanceof FrameError) return;
      this.failureCount++;
      if (this.failures.length < 20) this.failures.push({ parser, error, frame: Buffer.from(frame) });
    } finally {
      const took = performance.now() - started;
      if (took > (this.slowest.get(parser) ?? 0)) this.slowest.set(parser, took);
      this.total.set(parser, (this.total.get(parser) ?? 0) + took);
    }
  }
}

function bounded(result: { frames: Buffer[] }, buffered: number, limit: number): void {
  if (buffered > limit) throw new Error(`splitter holds ${buffered} bytes (limit ${limit})`);
  for (const frame of result.frames) if (frame.length === 0) throw new Error('splitter produced an empty frame');
}

/** Every field the decoder reports lies inside the input. */
function checkFields(fields: readonly { offset: number; length: number; children?: unknown }[], size: number): void {
  for (const field of fields) {
    if (field.offset < 0 || field.length < 0 || field.offset + field.length > size) {
      throw new Error(`field at ${field.offset}+${field.length} lies outside the ${size}-byte input`);
    }
    if (Array.isArray(field.children)) checkFields(field.children, size);
  }
}

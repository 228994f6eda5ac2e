/**
 * A TCP link: one socket to one device (or one serial-to-Ethernet converter),
 * reporting whole frames: MBAP for Modbus TCP, RTU (CRC) for RTU over TCP.
 *
 * - setNoDelay: a request is one small write; Nagle would hold it back ~40 ms.
 * - Frames sent in one tick go out in one write (flushed on process.nextTick, after
 *   the current microtasks): pipelined requests cost one syscall, not one each.
 * - Bytes arrive through `onread` into one reused buffer, without the stream
 *   machinery's per-chunk allocation; the splitters copy out what they keep.
 * - setKeepAlive: a device that vanishes (power, cable) is noticed even when idle.
 * - A bad MBAP header closes the link: with a bad length there is no way to find
 *   where the next frame starts. RTU over TCP resynchronises on the CRC instead.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { MbapReassembler } from '../protocol/mbapReassembler';
import { frameTimestamp, type FrameHook } from './frames';
import type { FrameLink, FrameLinkEvents, FrameSplitter } from './link';
import { describeSocketError } from './socketErrors';
import { createSplitter } from './splitters';
import { TickWriter } from './tickWriter';

export interface TcpLinkOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** 'mbap' (Modbus TCP, the default) or 'rtu' (RTU frames over TCP). */
  framing?: 'mbap' | 'rtu';
  /** Idle time before the first keep-alive probe. */
  keepAliveMs?: number;
  /** Frames as the link sees them, without device; sessions usually report instead. */
  onFrame?: FrameHook;
}

const DEFAULT_KEEPALIVE_MS = 10_000;
/** Modbus frames are at most 260 bytes: this holds many pipelined replies per read. */
const READ_BUFFER_BYTES = 16 * 1024;

export class TcpLink extends EventEmitter<FrameLinkEvents> implements FrameLink {
  readonly name: string;
  private readonly splitter: FrameSplitter;
  /** MBAP framing only: the reassembler itself, called without the splitter's wrapper objects. */
  private readonly reassembler?: MbapReassembler;
  private closed = false;
  private closeError?: Error;
  /** Frames sent this tick, written together by flush(). */
  private readonly writer: TickWriter;

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: TcpLinkOptions,
  ) {
    super();
    this.writer = new TickWriter(socket);
    const framing = options.framing ?? 'mbap';
    this.name = `${framing === 'mbap' ? 'tcp' : 'rtutcp'}://${options.host}:${options.port}`;
    if (framing === 'mbap') {
      const reassembler = new MbapReassembler();
      this.reassembler = reassembler;
      this.splitter = { push: (chunk) => ({ frames: reassembler.push(chunk), discarded: [] }), reset: () => reassembler.reset() };
    } else {
      this.splitter = createSplitter(framing, 'response');
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, options.keepAliveMs ?? DEFAULT_KEEPALIVE_MS);
    socket.on('error', (error) => {
      this.closeError ??= new Error(describeSocketError(error));
    });
    socket.on('end', () => {
      this.closeError ??= new Error('connection closed by the device');
    });
    socket.on('close', () => this.finish());
  }

  /** Open a link; rejects with a readable error ("connection refused …") on failure. */
  static connect(options: TcpLinkOptions): Promise<TcpLink> {
    return new Promise((resolve, reject) => {
      let link: TcpLink | undefined;
      const socket = net.connect({
        host: options.host,
        port: options.port,
        // The buffer is reused for every read: receive() copies whatever it keeps.
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
          callback: (bytes: number, buffer: Uint8Array) => {
            link?.receive(buffer as Buffer, bytes);
            return true; // keep reading
          },
        },
      });
      const fail = (error: Error) => {
        clearTimeout(timer);
        // A late error from the abandoned socket must not go unhandled.
        socket.on('error', () => {});
        socket.destroy();
        reject(new Error(`cannot connect to ${options.host}:${options.port}: ${describeSocketError(error)}`));
      };
      const timer = setTimeout(
        () => fail(new Error(`no answer within ${options.connectTimeoutMs} ms`)),
        options.connectTimeoutMs,
      );
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        link = new TcpLink(socket, options);
        resolve(link);
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(adu: Buffer): boolean {
    if (this.closed) return false;
    this.options.onFrame?.({ direction: 'tx', timestamp: frameTimestamp(), bytes: adu, link: this.name });
    this.writer.push(adu);
    return true;
  }

  /** Write what send() queued this tick: one write, however many frames. */
  flush(): void {
    this.writer.flush();
  }

  /** TCP delivers what was sent: only a half-received frame can be dropped. */
  discardInput(): Promise<void> {
    this.splitter.reset();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closed) {
      // Frames sent just before the close still go, as they did when each was written at once.
      this.flush();
      this.socket.destroy();
      this.finish(true);
    }
    return Promise.resolve();
  }

  /** `bytes` bytes arrived at the start of `buffer`, which the next read reuses. */
  private receive(buffer: Buffer, bytes: number): void {
    if (this.closed) return;
    const chunk = buffer.subarray(0, bytes);
    if (this.reassembler) {
      // MBAP: the reassembler copies every frame and every leftover out of the chunk.
      let frames: Buffer[];
      try {
        frames = this.reassembler.push(chunk);
      } catch (error) {
        this.closeError = error as Error;
        this.socket.destroy();
        return;
      }
      for (let i = 0; i < frames.length; i++) {
        if (this.closed) return;
        const frame = frames[i];
        this.options.onFrame?.({ direction: 'rx', timestamp: frameTimestamp(), bytes: frame, link: this.name });
        this.emit('frame', frame);
      }
      return;
    }
    let split;
    try {
      // Other splitters may keep a reference to the chunk: give them their own copy.
      split = this.splitter.push(Buffer.from(chunk));
    } catch (error) {
      this.closeError = error as Error;
      this.socket.destroy();
      return;
    }
    for (const { bytes, reason } of split.discarded) this.emit('discard', bytes, reason);
    for (const frame of split.frames) {
      if (this.closed) return;
      this.options.onFrame?.({ direction: 'rx', timestamp: frameTimestamp(), bytes: frame, link: this.name });
      this.emit('frame', frame);
    }
  }

  private finish(byUs = false): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', byUs ? undefined : (this.closeError ?? new Error('connection closed')));
  }
}

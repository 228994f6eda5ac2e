/**
 * A TCP link: one socket to one device (or one serial-to-Ethernet converter),
 * reporting whole frames: MBAP for Modbus TCP, RTU (CRC) for RTU over TCP.
 *
 * - setNoDelay: a request is one small write; Nagle would hold it back ~40 ms.
 * - setKeepAlive: a device that vanishes (power, cable) is noticed even when idle.
 * - A bad MBAP header closes the link: with a bad length there is no way to find
 *   where the next frame starts. RTU over TCP resynchronises on the CRC instead.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { frameTimestamp, type FrameHook } from './frames';
import type { FrameLink, FrameLinkEvents, FrameSplitter } from './link';
import { describeSocketError } from './socketErrors';
import { createSplitter } from './splitters';

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

export class TcpLink extends EventEmitter<FrameLinkEvents> implements FrameLink {
  readonly name: string;
  private readonly splitter: FrameSplitter;
  private closed = false;
  private closeError?: Error;

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: TcpLinkOptions,
  ) {
    super();
    const framing = options.framing ?? 'mbap';
    this.name = `${framing === 'mbap' ? 'tcp' : 'rtutcp'}://${options.host}:${options.port}`;
    this.splitter = createSplitter(framing, 'response');
    socket.setNoDelay(true);
    socket.setKeepAlive(true, options.keepAliveMs ?? DEFAULT_KEEPALIVE_MS);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
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
      const socket = net.connect({ host: options.host, port: options.port });
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
        resolve(new TcpLink(socket, options));
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(adu: Buffer): boolean {
    if (this.closed) return false;
    this.options.onFrame?.({ direction: 'tx', timestamp: frameTimestamp(), bytes: adu, link: this.name });
    this.socket.write(adu);
    return true;
  }

  /** TCP delivers what was sent: only a half-received frame can be dropped. */
  discardInput(): Promise<void> {
    this.splitter.reset();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.socket.destroy();
      this.finish(true);
    }
    return Promise.resolve();
  }

  private receive(chunk: Buffer): void {
    let split;
    try {
      split = this.splitter.push(chunk);
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

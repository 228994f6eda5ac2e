/**
 * A Modbus TCP link: one socket to one device, reporting whole MBAP frames.
 *
 * - setNoDelay: a request is one small write; Nagle would hold it back ~40 ms.
 * - setKeepAlive: a device that vanishes (power, cable) is noticed even when idle.
 * - A framing error closes the link: with a bad MBAP length there is no way to
 *   find where the next frame starts.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { MbapReassembler } from '../protocol/mbapReassembler';
import { frameTimestamp, type FrameHook } from './frames';
import { describeSocketError } from './socketErrors';

export interface TcpLinkOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Idle time before the first keep-alive probe. */
  keepAliveMs?: number;
  onFrame?: FrameHook;
}

const DEFAULT_KEEPALIVE_MS = 10_000;

type TcpLinkEvents = {
  /** One complete ADU from the device. */
  frame: [adu: Buffer];
  /** Emitted once. `error` is undefined when we closed the link ourselves. */
  close: [error: Error | undefined];
};

export class TcpLink extends EventEmitter<TcpLinkEvents> {
  readonly name: string;
  private readonly reassembler = new MbapReassembler();
  private closed = false;
  private closeError?: Error;

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: TcpLinkOptions,
  ) {
    super();
    this.name = `tcp://${options.host}:${options.port}`;
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

  /** Send one ADU. Returns false when the link is already closed. */
  send(adu: Buffer): boolean {
    if (this.closed) return false;
    this.options.onFrame?.({ direction: 'tx', timestamp: frameTimestamp(), bytes: adu, link: this.name });
    this.socket.write(adu);
    return true;
  }

  /** Close on purpose; emits `close` with no error. */
  close(): void {
    if (this.closed) return;
    this.socket.destroy();
    this.finish(true);
  }

  private receive(chunk: Buffer): void {
    let adus: Buffer[];
    try {
      adus = this.reassembler.push(chunk);
    } catch (error) {
      this.closeError = error as Error;
      this.socket.destroy();
      return;
    }
    for (const adu of adus) {
      if (this.closed) return;
      this.options.onFrame?.({ direction: 'rx', timestamp: frameTimestamp(), bytes: adu, link: this.name });
      this.emit('frame', adu);
    }
  }

  private finish(byUs = false): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', byUs ? undefined : (this.closeError ?? new Error('connection closed')));
  }
}

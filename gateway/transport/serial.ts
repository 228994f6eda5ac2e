/**
 * A serial line (RTU or ASCII) through serialport.
 *
 * Exactly one open handle per port path, ever (docs/pitfalls.md, pitfall 5: reopening
 * on a transient error leaked a locked handle, "Cannot lock port"). A link that
 * closes, by us or by an error, releases its path only once the handle is really
 * closed; opening the same path waits for that.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import type { Parity } from '../api/config';
import type { FrameLink, FrameLinkEvents, FrameSplitter } from './link';
import { createSplitter } from './splitters';

export interface SerialLineOptions {
  path: string;
  baudRate: number;
  parity: Parity;
  stopBits: 1 | 2;
  dataBits: 7 | 8;
  framing: 'rtu' | 'ascii';
  /** A server (the simulator) reads requests; a client reads responses. */
  role?: 'request' | 'response';
}

/** Paths with an open (or closing) handle, and the promise that resolves once it is released. */
const handles = new Map<string, Promise<void>>();
const EMPTY = Buffer.alloc(0);

export class SerialLink extends EventEmitter<FrameLinkEvents> implements FrameLink {
  readonly name: string;
  private readonly splitter: FrameSplitter;
  private closed = false;
  /**
   * The bytes the splitter holds that are neither a frame nor reported discarded yet
   * (every byte pushed ends up in one of the three), so that discardInput can report
   * them instead of letting garbage, a truncated reply or a bad-CRC reply that no
   * later frame pushed out vanish without a trace in the capture.
   */
  private held: Buffer = EMPTY;

  private constructor(
    private readonly port: SerialPort,
    readonly options: SerialLineOptions,
    private readonly release: () => void,
  ) {
    super();
    this.name = `${options.framing}://${options.path}`;
    this.splitter = createSplitter(options.framing, options.role ?? 'response');
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.on('error', (error) => this.finish(new Error(`${options.path}: ${error.message}`)));
    port.on('close', (error?: Error | null) => this.finish(error ? new Error(`${options.path} closed: ${error.message}`) : new Error(`${options.path} closed`)));
  }

  /** Open the port once any earlier handle on the same path is released. */
  static async open(options: SerialLineOptions): Promise<SerialLink> {
    await handles.get(options.path);
    if (handles.has(options.path)) throw new Error(`${options.path} is already open in this gateway`);
    // Reserve the path before the first await, so two opens cannot both pass the check.
    let release!: () => void;
    handles.set(options.path, new Promise<void>((resolve) => (release = resolve)));
    const releasePath = () => {
      handles.delete(options.path);
      release();
    };
    const port = new SerialPort({
      path: options.path,
      baudRate: options.baudRate,
      parity: options.parity,
      stopBits: options.stopBits,
      dataBits: options.dataBits,
      autoOpen: false,
    });
    try {
      await new Promise<void>((resolve, reject) =>
        port.open((error) => (error ? reject(new Error(`cannot open ${options.path}: ${openFailure(error, options.path)}`)) : resolve())),
      );
    } catch (error) {
      releasePath();
      throw error;
    }
    return new SerialLink(port, options, releasePath);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(frame: Buffer): boolean {
    if (this.closed) return false;
    this.port.write(frame);
    return true;
  }

  /** Drop bytes in the driver's input buffer and in our splitter (docs/pitfalls.md, pitfall 3: a late reply). */
  discardInput(): Promise<void> {
    this.splitter.reset();
    const held = this.held;
    this.held = EMPTY;
    if (held.length > 0) this.emit('discard', held, 'incomplete or corrupt, flushed before the next request');
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.port.flush(() => resolve()));
  }

  async close(): Promise<void> {
    this.finish(undefined);
    await handles.get(this.options.path);
  }

  private receive(chunk: Buffer): void {
    const split = this.splitter.push(chunk);
    this.trackHeld(chunk, split.frames, split.discarded);
    for (const { bytes, reason } of split.discarded) this.emit('discard', bytes, reason);
    for (const frame of split.frames) {
      if (this.closed) return;
      this.emit('frame', frame);
    }
  }

  private trackHeld(chunk: Buffer, frames: readonly Buffer[], discarded: readonly { bytes: Buffer }[]): void {
    let used = 0;
    for (const frame of frames) used += frame.length;
    for (const { bytes } of discarded) used += bytes.length;
    const total = this.held.length + chunk.length;
    // The usual case, a reply read whole: nothing held, nothing to copy.
    if (used >= total) this.held = EMPTY;
    else this.held = Buffer.concat([this.held, chunk]).subarray(used);
  }

  private finish(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    if (this.port.isOpen) this.port.close(() => this.release());
    else this.release();
    this.emit('close', error);
  }
}

/**
 * The binding's reason without its own wrapping: it says "Error: No such file or
 * directory, cannot open /dev/ttyUSB0", which after our "cannot open PATH: " named
 * the port twice in the status a user reads while the adapter is unplugged.
 */
function openFailure(error: Error, path: string): string {
  const suffix = `, cannot open ${path}`;
  const message = error.message.replace(/^Error: /, '');
  return message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
}

/**
 * A framed byte link as sessions see it: whole frames out, whole frames in, bytes
 * that form no frame reported separately, and one `close`. TCP, RTU over TCP and
 * serial lines all look like this; only the splitter and the byte pipe differ.
 */
import type { EventEmitter } from 'node:events';
import type { SplitResult } from '../protocol/rtuFraming';

export type FrameLinkEvents = {
  /** One complete frame (CRC or LRC already checked on serial framings). */
  frame: [frame: Buffer];
  /** Bytes that were dropped while looking for frames, and why. */
  discard: [bytes: Buffer, reason: string];
  /** Emitted once. `error` is undefined when we closed the link ourselves. */
  close: [error: Error | undefined];
};

export interface FrameLink extends EventEmitter<FrameLinkEvents> {
  /** "tcp://10.0.0.5:502", "rtutcp://10.0.0.9:4001", "rtu:///dev/ttyUSB0". */
  readonly name: string;
  readonly isOpen: boolean;
  /** Write one frame. Returns false when the link is already closed. */
  send(frame: Buffer): boolean;
  /** Drop whatever has arrived and not been framed yet: called before each serial request. */
  discardInput(): Promise<void>;
  /** Close on purpose; resolves once the underlying handle is released. */
  close(): Promise<void>;
}

/** Cuts a byte stream into frames; a throw means the stream cannot be trusted any more. */
export interface FrameSplitter {
  push(chunk: Buffer): SplitResult;
  reset(): void;
}

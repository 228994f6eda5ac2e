/**
 * TCP is a byte stream: one `data` event may hold half a frame or several frames.
 * The reassembler turns chunks back into whole ADUs using the MBAP length field.
 */
import { MBAP_HEADER_LENGTH, mbapFrameLengthAt } from './mbap';

/** Shared: never written to, so one empty buffer serves every reassembler. */
const EMPTY = Buffer.alloc(0);

export class MbapReassembler {
  private pending: Buffer = EMPTY;

  /**
   * Feed one chunk; get every ADU it completes, in order. Throws FrameError on a
   * header that cannot be right, after which the stream cannot be trusted.
   * Keeps no reference to `chunk`: frames and leftovers are copies, so the caller
   * may reuse the chunk's memory for its next read.
   */
  push(chunk: Buffer): Buffer[] {
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (buffer.length - offset >= MBAP_HEADER_LENGTH) {
      const total = mbapFrameLengthAt(buffer, offset);
      if (buffer.length - offset < total) break;
      // Copy so a frame kept by a capture ring does not pin the whole chunk.
      const frame = Buffer.allocUnsafe(total);
      buffer.copy(frame, 0, offset, offset + total);
      frames.push(frame);
      offset += total;
    }
    this.pending = offset === buffer.length ? EMPTY : Buffer.from(buffer.subarray(offset));
    return frames;
  }

  /** Bytes of a frame that has started but not finished. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = EMPTY;
  }
}

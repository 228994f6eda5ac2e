/**
 * TCP is a byte stream: one `data` event may hold half a frame or several frames.
 * The reassembler turns chunks back into whole ADUs using the MBAP length field.
 */
import { MBAP_HEADER_LENGTH, mbapFrameLength } from './mbap';

export class MbapReassembler {
  private pending: Buffer = Buffer.alloc(0);

  /**
   * Feed one chunk; get every ADU it completes, in order. Throws FrameError on a
   * header that cannot be right, after which the stream cannot be trusted.
   */
  push(chunk: Buffer): Buffer[] {
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (buffer.length - offset >= MBAP_HEADER_LENGTH) {
      const total = mbapFrameLength(buffer.subarray(offset, offset + MBAP_HEADER_LENGTH));
      if (buffer.length - offset < total) break;
      // Copy so a frame kept by a capture ring does not pin the whole chunk.
      frames.push(Buffer.from(buffer.subarray(offset, offset + total)));
      offset += total;
    }
    this.pending = offset === buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(offset));
    return frames;
  }

  /** Bytes of a frame that has started but not finished. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}

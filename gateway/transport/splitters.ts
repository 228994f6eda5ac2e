/** The frame splitter for each wire framing, behind one interface. */
import { AsciiFrameSplitter } from '../protocol/asciiFraming';
import { MbapReassembler } from '../protocol/mbapReassembler';
import { RtuFrameSplitter, type FrameRole } from '../protocol/rtuFraming';
import type { FrameSplitter } from './link';

export type WireFraming = 'mbap' | 'rtu' | 'ascii';

export function createSplitter(framing: WireFraming, role: FrameRole): FrameSplitter {
  switch (framing) {
    case 'mbap': {
      // MBAP carries its own length; a bad header throws and the link closes.
      const reassembler = new MbapReassembler();
      return { push: (chunk) => ({ frames: reassembler.push(chunk), discarded: [] }), reset: () => reassembler.reset() };
    }
    case 'rtu':
      return new RtuFrameSplitter(role);
    case 'ascii':
      return new AsciiFrameSplitter();
  }
}

/**
 * What every link reports about the bytes it moves: whole frames with a direction
 * and a timestamp. The capture ring (next issue) and the frame debugger hang off this.
 */

export type FrameDirection = 'rx' | 'tx';

export interface LinkFrame {
  direction: FrameDirection;
  /** Epoch milliseconds with sub-millisecond precision (for pcap's microseconds). */
  timestamp: number;
  /** The whole ADU: MBAP header and PDU on TCP. */
  bytes: Buffer;
  /** Which link: "tcp://127.0.0.1:502". */
  link: string;
}

export type FrameHook = (frame: LinkFrame) => void;

/** Epoch ms with the monotonic clock's resolution. */
export function frameTimestamp(): number {
  return performance.timeOrigin + performance.now();
}

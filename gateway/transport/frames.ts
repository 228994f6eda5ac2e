/**
 * What every link reports about the bytes it moves: whole frames with a direction
 * and a timestamp. Sessions add the device and unit id they belong to (a serial bus
 * link carries several devices), and the engine hands each one to the capture ring.
 */

export type FrameDirection = 'rx' | 'tx';

export interface LinkFrame {
  direction: FrameDirection;
  /** Epoch milliseconds with sub-millisecond precision (for pcap's microseconds). */
  timestamp: number;
  /** The whole ADU: MBAP header and PDU on TCP, unit id + PDU + CRC on RTU, the characters on ASCII. */
  bytes: Buffer;
  /** Which link: "tcp://127.0.0.1:502", "rtu:///dev/ttyUSB0". */
  link: string;
  /** The configured device the frame belongs to, when known. */
  device?: string;
  unitId?: number;
  /** Set for bytes that are not a valid frame and were dropped: "bad CRC", "late reply". */
  note?: string;
  /** Frames of one exchange across links (a proxy's two legs): "proxy NAME #N". */
  correlation?: string;
  /** A fault the simulator injected on purpose into these bytes (or in place of them, when empty). */
  injected?: string;
  /** A reply under a wrong transaction id taken as the answer to this request's transaction id. */
  answers?: number;
}

export type FrameHook = (frame: LinkFrame) => void;

/** Epoch ms with the monotonic clock's resolution. */
export function frameTimestamp(): number {
  return performance.timeOrigin + performance.now();
}

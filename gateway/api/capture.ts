/**
 * Channel contract for captured frames, the capture ring's methods and the batched frames event.
 * Spread into Methods and Events in channel.ts; must not import channel.ts.
 */
import { z } from 'zod';

/** Frames the ring keeps unless configured otherwise; the oldest go first. */
export const DEFAULT_CAPTURE_CAPACITY = 10_000;

export const CapturedFrame = z.object({
  /** Increases by one per frame captured, across clears: a client spots gaps by it. */
  id: z.number().int(),
  /** Epoch milliseconds, sub-millisecond precision. */
  ts: z.number(),
  /** tx: the gateway sent it; rx: it arrived. */
  direction: z.enum(['tx', 'rx']),
  /** The link: "tcp://10.0.0.5:502", "rtu:///dev/ttyUSB0", "rtutcp://10.0.0.9:4001". */
  link: z.string(),
  /** The configured device it belongs to, when known (a stray frame on a bus may belong to none). */
  device: z.string().optional(),
  unitId: z.number().int().optional(),
  /** The whole frame as on the wire, lower-case hex: MBAP + PDU, unit + PDU + CRC, or ASCII characters. */
  hex: z.string(),
  /** Why the bytes were dropped instead of used: "bad CRC: dropped", "late or unexpected reply: dropped". */
  note: z.string().optional(),
});
export type CapturedFrame = z.infer<typeof CapturedFrame>;

export const CaptureSnapshot = z.object({
  /** Oldest first. */
  frames: z.array(CapturedFrame),
  capacity: z.number().int(),
  /** Frames pushed out of the ring because it was full, since start or the last clear. */
  dropped: z.number().int(),
});
export type CaptureSnapshot = z.infer<typeof CaptureSnapshot>;

export const CaptureMethods = {
  /** The newest `limit` frames in the ring (all of them when absent), oldest first. */
  'capture.snapshot': {
    params: z.object({ limit: z.number().int().min(1).optional() }).strict(),
    result: CaptureSnapshot,
  },
  /** Empty the ring. */
  'capture.clear': { params: z.object({}).strict(), result: z.object({}).strict() },
} as const;

export const CaptureEvents = {
  /** Batched like tag.values: every ~50 ms, or sooner when many frames wait. */
  frames: z.object({ frames: z.array(CapturedFrame) }),
} as const;

/**
 * Shapes shared by several groups of channel methods and events. Kept apart from
 * channel.ts so the feature contracts (frames, capture, operations) can use them
 * without importing channel.ts, which imports them.
 */
import { z } from 'zod';

export const ConnectionState = z.enum(['disabled', 'disconnected', 'connecting', 'connected', 'notAnswering', 'error']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const DeviceStatus = z.object({
  device: z.string(),
  state: ConnectionState,
  /** Human-readable text of the last failure; kept after a reconnect for the tooltip. */
  lastError: z.string().optional(),
  /** Epoch ms when the state last changed. */
  since: z.number(),
  /** Milliseconds until the next reconnect attempt, while backing off. */
  retryInMs: z.number().optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const TagQuality = z.enum(['good', 'bad', 'stale']);
export type TagQuality = z.infer<typeof TagQuality>;

export const TagValue = z.object({
  device: z.string(),
  tag: z.string(),
  value: z.union([z.number(), z.boolean(), z.null()]),
  /**
   * What a number cannot carry exactly: the exact decimal of an int64/uint64 (value
   * is then the nearest double), or the characters of a string tag (value is null).
   */
  text: z.string().optional(),
  /** The raw registers (or bits as 0/1) the value was decoded from, for hex and binary views. */
  raw: z.array(z.number()).optional(),
  quality: TagQuality,
  /** Why the quality is not good: the device's exception or the transport's error. */
  error: z.string().optional(),
  /**
   * Epoch ms of the latest read of this value. In a `tag.values` batch that is the
   * read that changed it; later reads that find the same value move it on through
   * a `TagReadTick` instead of resending the value.
   */
  ts: z.number(),
  /** Epoch ms when the value (or its quality or error) last changed; `ts` when absent. */
  changedAt: z.number().optional(),
});
export type TagValue = z.infer<typeof TagValue>;

/**
 * "These tags were read at `at`", without their values: one per completed scan of
 * one scan period of a device. Every tag of the device scanned at `scanMs` that is
 * good was read then, changed or not. Costs a few bytes per scan, not one value
 * per tag.
 */
export const TagReadTick = z.object({
  device: z.string(),
  scanMs: z.number(),
  at: z.number(),
});
export type TagReadTick = z.infer<typeof TagReadTick>;

export const TagSummary = z.object({
  name: z.string(),
  address: z.string(),
  type: z.string(),
  unit: z.string().optional(),
  /** How often the tag is read (its own scanMs, else the device's pollMs): matches `TagReadTick.scanMs`. */
  scanMs: z.number().optional(),
  value: TagValue.optional(),
});
export type TagSummary = z.infer<typeof TagSummary>;

export const DeviceSnapshot = z.object({
  name: z.string(),
  /** How the device is reached, as shown to the user: `tcp://10.0.0.5:502 #1`. */
  endpoint: z.string(),
  unitId: z.number().int(),
  pollMs: z.number().int(),
  status: DeviceStatus,
  /** Requests one round of the device's scans sends (its read plan; `device.plan` has the detail). */
  requestsPerScan: z.number().int().optional(),
  tags: z.array(TagSummary),
});
export type DeviceSnapshot = z.infer<typeof DeviceSnapshot>;


/**
 * Channel contract for captured frames, the capture ring's methods and the batched frames event.
 * Spread into Methods and Events in channel.ts; must not import channel.ts.
 */
import { z } from 'zod';
import { DecodedFrame, Framing } from './frames';

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
  /**
   * Ties frames of one exchange together across links: a proxy marks its client's
   * request, the device request it sends and the reply to its client "proxy NAME #N".
   * Not an error, unlike `note`.
   */
  correlation: z.string().optional(),
  /**
   * Set on a frame the simulator made wrong on purpose ("fault: wrong transaction id"),
   * or on an empty marker where it sent nothing on purpose ("fault: reply dropped").
   */
  injected: z.string().optional(),
  /**
   * On a reply under a wrong transaction id that the gateway took as the answer to the
   * one request in flight (and failed that request): the request's transaction id, so
   * the two pair up.
   */
  answers: z.number().int().optional(),
});
export type CapturedFrame = z.infer<typeof CapturedFrame>;

export const CaptureSnapshot = z.object({
  /** Oldest first. */
  frames: z.array(CapturedFrame),
  capacity: z.number().int(),
  /** Frames pushed out of the ring because it was full, since start or the last clear. */
  dropped: z.number().int(),
  /**
   * `dropped` by device (the link, for frames of no device); only those that lost any.
   * The ring is shared fairly: when full, the device holding the most frames loses its
   * oldest, so a busy device evicts its own frames, not a quiet device's.
   */
  droppedBy: z.record(z.string(), z.number().int()),
});
export type CaptureSnapshot = z.infer<typeof CaptureSnapshot>;

export { linkFraming } from './linkFraming';

export const PcapExportParams = z
  .object({
    /** Only this device's frames. */
    device: z.string().optional(),
    /** Captured frame ids, inclusive. */
    fromId: z.number().int().optional(),
    toId: z.number().int().optional(),
  })
  .strict();
export type PcapExportParams = z.infer<typeof PcapExportParams>;

export const PcapExport = z.object({
  /** The file's bytes; the extension host writes them where the user chose. */
  base64: z.string(),
  frames: z.number().int(),
});
export type PcapExport = z.infer<typeof PcapExport>;

/** One side of an exchange: the bytes as on the wire and what the decoder makes of them. */
export const ExchangedFrame = z.object({
  /** The captured frame, when the ring holds it. */
  frameId: z.number().int().optional(),
  hex: z.string(),
  decoded: DecodedFrame,
});
export type ExchangedFrame = z.infer<typeof ExchangedFrame>;

/** A read request's reply as rows: what the Send box shows as a register table. */
export const ExchangeRead = z.object({
  table: z.enum(['coil', 'discreteInput', 'holdingRegister', 'inputRegister']),
  /** Zero-based protocol address of the first value. */
  start: z.number().int(),
  /** Registers, or bits as 0/1. */
  values: z.array(z.number().int()),
});
export type ExchangeRead = z.infer<typeof ExchangeRead>;

export const ExchangeResult = z.object({
  device: z.string(),
  request: ExchangedFrame,
  /** Absent when no reply came (timeout, link down): `error` says why. An exception reply is a response. */
  response: ExchangedFrame.optional(),
  error: z.string().optional(),
  roundTripMs: z.number().optional(),
  /** For a read (FC 1–4) that was answered: its values by address. */
  read: ExchangeRead.optional(),
});
export type ExchangeResult = z.infer<typeof ExchangeResult>;

export const SendFrameParams = z
  .object({
    device: z.string(),
    /**
     * The request as typed, in hex: a PDU (`03 00 00 00 0A`), unit + PDU (`01 03 00 00 00 0A`),
     * or the whole frame in the device's framing (MBAP + PDU, unit + PDU + CRC, ASCII characters as hex).
     */
    hex: z.string(),
    /** Defaults to the device's own framing; a different one is refused. */
    framing: Framing.optional(),
  })
  .strict();
export type SendFrameParams = z.infer<typeof SendFrameParams>;

export const RecordParams = z
  .object({
    /** The pcapng file, an absolute path; with rotateMb, files are numbered after it (trace_00001.pcapng, …). */
    path: z.string().min(1),
    /** Start the next file once one reaches this many megabytes (MiB). */
    rotateMb: z.number().positive().max(100_000).optional(),
    /** With rotateMb: keep the newest K files, deleting older ones (default 10). */
    keep: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type RecordParams = z.infer<typeof RecordParams>;

export const RecordingStatus = z.object({
  recording: z.boolean(),
  /** The path recording was started with. */
  path: z.string().optional(),
  /** Files on disk now, oldest first (older ones of a rotation are deleted past `keep`). */
  files: z.array(z.string()),
  /** Files written since the recording started, deleted ones included. */
  filesWritten: z.number().int(),
  /** Bytes written, all files together. */
  bytes: z.number().int(),
  /** Frames written ("no reply" markers are not: no bytes crossed the wire). */
  frames: z.number().int(),
  /** Why recording stopped by itself (the disk full, the folder gone). */
  error: z.string().optional(),
});
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const CaptureMethods = {
  /** The newest `limit` frames in the ring (all of them when absent), oldest first. */
  'capture.snapshot': {
    params: z.object({ limit: z.number().int().min(1).optional() }).strict(),
    result: CaptureSnapshot,
  },
  /** Empty the ring. */
  'capture.clear': { params: z.object({}).strict(), result: z.object({}).strict() },
  /** The ring (or part of it) as a pcap file Wireshark opens (capture/pcap.ts says how each framing is carried). */
  'capture.exportPcap': { params: PcapExportParams, result: PcapExport },
  /** Send a captured request again to its device, through the device's session. */
  'capture.replay': { params: z.object({ frameId: z.number().int() }).strict(), result: ExchangeResult },
  /** Send a hand-written request frame to a device; refused with the decoder's problems if it is broken. */
  'capture.send': { params: SendFrameParams, result: ExchangeResult },
  /** What `capture.send` would send for the typed hex: the whole frame, which form it was read as, and what was added. */
  'capture.prepare': {
    params: SendFrameParams,
    result: z.object({ hex: z.string(), form: z.enum(['frame', 'pdu', 'unit+pdu']), note: z.string(), decoded: DecodedFrame }),
  },
  /**
   * Live frames (the `frames` event) for this connection, on or off; off until asked.
   * A busy gateway captures thousands of frames a second: they cross the channel only
   * while someone looks (the Frame Debugger open). Result: connections now watching.
   */
  'capture.watch': { params: z.object({ live: z.boolean() }).strict(), result: z.object({ watchers: z.number().int() }).strict() },
  /**
   * Record every frame from now on to pcapng files on the gateway's disk (the same
   * packets as exportPcap), so a long session keeps everything the ring forgets.
   * Refused while a recording runs. Result: the recording's status.
   */
  'capture.record': { params: RecordParams, result: RecordingStatus },
  /** Stop recording (the last file is flushed and closed); the final status. Not recording: the last status. */
  'capture.stopRecording': { params: z.object({}).strict(), result: RecordingStatus },
} as const;

export const CaptureEvents = {
  /** Batched like tag.values: every ~50 ms, or sooner when many frames wait. Only to connections that called capture.watch. */
  frames: z.object({ frames: z.array(CapturedFrame) }),
} as const;

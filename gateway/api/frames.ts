/**
 * Channel contract for the frame decoder's field tree and `frames.decode`.
 * Spread into Methods and Events in channel.ts; must not import channel.ts.
 */
import { z } from 'zod';

export const Framing = z.enum(['tcp', 'rtu', 'ascii']);
export type Framing = z.infer<typeof Framing>;

export const FrameDirection = z.enum(['request', 'response']);
export type FrameDirection = z.infer<typeof FrameDirection>;

/** One field of a decoded frame; `offset` and `length` count bytes of the input as given. */
export interface FrameField {
  offset: number;
  length: number;
  /** "Function code", "Starting address", "Register 40". */
  name: string;
  value: number | string | boolean | null;
  /** What the value means: "Read Holding Registers", "illegal data address", "ON". */
  meaning?: string;
  children?: FrameField[];
}

export const FrameField: z.ZodType<FrameField> = z.object({
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  name: z.string(),
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  meaning: z.string().optional(),
  get children() {
    return z.array(FrameField).optional();
  },
});

export const DecodedFrame = z.object({
  framing: Framing,
  direction: FrameDirection,
  /** True when the caller did not say and the decoder chose the direction that fits the bytes. */
  directionInferred: z.boolean(),
  /** One line: "Read Holding Registers 0–9 (10) unit 1". */
  summary: z.string(),
  fields: z.array(FrameField),
  /** What is wrong with the frame, in words (bad CRC, truncated…); empty for a good frame. */
  problems: z.array(z.string()),
  unitId: z.number().int().optional(),
  /** The function code as sent, exception flag included. */
  functionCode: z.number().int().optional(),
  transactionId: z.number().int().optional(),
  exceptionCode: z.number().int().optional(),
});
export type DecodedFrame = z.infer<typeof DecodedFrame>;

export const FrameDecodeParams = z
  .object({
    /** Bytes as hex; spaces, colons and dashes between bytes are ignored. */
    hex: z.string().optional(),
    base64: z.string().optional(),
    /** An ASCII-framed message as text, e.g. ":010300000001FB\r\n". */
    text: z.string().optional(),
    framing: Framing,
    direction: z.enum(['request', 'response', 'unknown']).default('unknown'),
  })
  .refine((params) => [params.hex, params.base64, params.text].filter((value) => value !== undefined).length === 1, {
    message: 'give the bytes exactly once: as hex, base64 or text',
  });
export type FrameDecodeParams = z.input<typeof FrameDecodeParams>;

export const FrameMethods = {
  /** Decode a byte string into a field tree; a broken frame is described, never refused. */
  'frames.decode': { params: FrameDecodeParams, result: DecodedFrame },
} as const;

export const FrameEvents = {} as const;

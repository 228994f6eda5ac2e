/**
 * Channel contract for the Registers view and the tag prompts: read any range of a
 * table, write one value at an address, and read a tag definition once before it
 * is saved. Each acts on a configured device or on an endpoint typed on the spot
 * (no bifrost.json needed). Spread into Methods in channel.ts; must not import
 * channel.ts.
 */
import { z } from 'zod';
import { DataType, Tag, Transport, WordOrder } from './config';
import { TagValue } from './shapes';
import { WriteFrame } from './operations';

export const RegisterTableName = z.enum(['coil', 'discreteInput', 'inputRegister', 'holdingRegister']);
export type RegisterTableName = z.infer<typeof RegisterTableName>;

/** A device reached without bifrost.json: a transport and a unit id, as typed in the palette. */
export const AdHocEndpoint = z
  .object({
    transport: Transport.refine((transport) => transport.kind !== 'demo', { message: 'an ad-hoc endpoint is tcp, rtutcp, rtu or ascii' }),
    unitId: z.number().int().min(0).max(255).default(1),
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
  })
  .strict();
export type AdHocEndpoint = z.infer<typeof AdHocEndpoint>;
export type AdHocEndpointInput = z.input<typeof AdHocEndpoint>;

/** What a request acts on: a configured device by name, or an ad-hoc endpoint. */
export const RegisterTarget = z.union([
  z.object({ device: z.string().min(1) }).strict(),
  z.object({ endpoint: AdHocEndpoint }).strict(),
]);
export type RegisterTarget = z.infer<typeof RegisterTarget>;
export type RegisterTargetInput = z.input<typeof RegisterTarget>;

/** Largest range one `registers.read` covers: the whole table. */
export const MAX_RANGE = 0x10000;

export const RangeReadParams = z
  .object({
    target: RegisterTarget,
    table: RegisterTableName,
    /** Zero-based protocol address of the first register or bit. */
    start: z.number().int().min(0).max(0xffff),
    count: z.number().int().min(1).max(MAX_RANGE),
  })
  .strict()
  .refine((params) => params.start + params.count <= MAX_RANGE, { message: 'the range runs past address 65535', path: ['count'] });

/** One request's worth of the range: its values, or why the device gave none. */
export const RangeChunk = z.object({
  start: z.number().int(),
  count: z.number().int(),
  /** Epoch ms the reply came (or the failure was known). */
  ts: z.number(),
  /** Registers (0–65535) or bits (0/1); absent when the chunk failed. */
  values: z.array(z.number().int()).optional(),
  /** The device's exception or the link's error, worded with device, unit and address. */
  error: z.string().optional(),
  /** The Modbus exception code when the device answered with one (2 = illegal data address). */
  exceptionCode: z.number().int().optional(),
});
export type RangeChunk = z.infer<typeof RangeChunk>;

export const RangeReadResult = z.object({
  /** "tcp://127.0.0.1:5020 #1" or the device name, for titles and messages. */
  label: z.string(),
  /** In address order, covering the range exactly. */
  chunks: z.array(RangeChunk),
  /** Requests sent, splits included. */
  requests: z.number().int(),
});
export type RangeReadResult = z.infer<typeof RangeReadResult>;

/** How a value is laid over registers: a type and its word order. */
export const RegisterFormat = z.object({ type: DataType.exclude(['bool', 'string']), order: WordOrder.default('ABCD') });

const RegisterWriteParams = z
  .object({
    target: RegisterTarget,
    table: z.enum(['coil', 'holdingRegister']),
    address: z.number().int().min(0).max(0xffff),
    format: RegisterFormat.optional(),
    /** A number for registers ("0x1F" and "-3" are the page's business), true/false for a coil. */
    value: z.union([z.number(), z.boolean(), z.string()]),
  })
  .strict();

export const RegisterMethods = {
  /** Read any range once, split into requests within the device's limits; failing parts are reported per chunk. */
  'registers.read': { params: RangeReadParams, result: RangeReadResult },
  /** The request `registers.write` would send, without sending it. */
  'registers.encodeWrite': { params: RegisterWriteParams, result: WriteFrame },
  /** Send the write, then read the written registers back. */
  'registers.write': { params: RegisterWriteParams, result: WriteFrame.extend({ readBack: RangeChunk }) },
  /** Read a tag definition once (not saved anywhere): the live preview of Add Tag and Edit Tag. */
  'tag.preview': {
    params: z.object({ target: RegisterTarget, tag: Tag, addressBase: z.union([z.literal(0), z.literal(1)]).optional() }).strict(),
    result: TagValue,
  },
} as const;

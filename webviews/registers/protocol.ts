/**
 * What the Registers panel and its host say to each other, described once with zod
 * (../shared/messages.ts): the host validates every message the page sends against
 * these schemas before it acts (the page runs script, so its messages are a
 * boundary), and both sides take their types from them. Envelopes are
 * ../shared/protocol.ts's.
 */
import { z } from 'zod';
import { RangeChunk, RegisterTableName } from '../../gateway/api/registers';
import { WordOrder } from '../../gateway/api/config';
import { FORMAT_KINDS } from '../../gateway/api/codec/registerFormats';
import { POLL_CHOICES_MS } from './pollChoices';
import { defineCommand, defineRequest, messageSet, type CommandParams, type RequestTypes } from '../shared/messages';

export const REGISTERS_VIEW_TYPE = 'bifrost.registers';

export { POLL_CHOICES_MS };

export const RangeSpec = z.object({
  table: RegisterTableName,
  /** Zero-based protocol address. */
  start: z.number().int().min(0).max(0xffff),
  count: z.number().int().min(1).max(0x10000),
  /** 0: read once, on request. */
  pollMs: z.number().int().refine((ms) => (POLL_CHOICES_MS as readonly number[]).includes(ms), { message: 'poll every 100 ms … 10 s, or once' }),
});
export type RangeSpec = z.infer<typeof RangeSpec>;

export const Format = z.object({ kind: z.enum(FORMAT_KINDS), order: WordOrder });
/** A row shown in a format other than unsigned, by zero-based protocol address. */
export const FormatEntry = z.object({ offset: z.number().int().min(0).max(0xffff), format: Format });
export type FormatEntry = z.infer<typeof FormatEntry>;

export const RowWrite = z.object({ offset: z.number().int().min(0).max(0xffff), format: Format, text: z.string() });
export type RowWrite = z.infer<typeof RowWrite>;

const Empty = z.object({}).strict();

export const RegistersCommands = messageSet(
  /** Read this range from now on (and at once). */
  defineCommand('range.set', RangeSpec),
  /** The rows' formats changed (the host keeps them for snapshots and saved views). */
  defineCommand('formats.set', z.object({ formats: z.array(FormatEntry).max(0x10000) })),
  /** Read once now. */
  defineCommand('range.read', Empty),
);

export const RegistersRequests = messageSet(
  defineRequest('write.preview', RowWrite).answers<{ frameHex: string; summary: string }>(),
  defineRequest('write.commit', RowWrite).answers<{ summary: string; readBack: string }>(),
  /** Rows → tags in bifrost.json (the host asks for names). */
  defineRequest('tags.add', z.object({ rows: z.array(z.object({ offset: z.number().int().min(0).max(0xffff), format: Format })).min(1).max(500) })).answers<{
    added: string[];
  }>(),
  /** The range, poll rate and formats as a named view in bifrost.json. */
  defineRequest('view.save', Empty).answers<{ name?: string }>(),
  defineRequest('clipboard.copy', z.object({ text: z.string().max(5_000_000) })).answers<Record<string, never>>(),
);

export const RegistersSnapshot = z.object({
  title: z.string(),
  /** What is read: "Boiler PLC" or "tcp://10.0.0.5:502 #1". */
  label: z.string(),
  addressBase: z.union([z.literal(0), z.literal(1)]),
  /** Why writes are refused here (a read-only device), when they are. */
  readOnly: z.string().optional(),
  range: RangeSpec,
  formats: z.array(FormatEntry),
  chunks: z.array(RangeChunk),
  /** Why values are not updating (gateway restarting, endpoint unreachable). */
  notice: z.string().optional(),
});
export type RegistersSnapshot = z.infer<typeof RegistersSnapshot>;

export const RangeValues = z.object({ range: RangeSpec, chunks: z.array(RangeChunk), notice: z.string().optional() });
export type RangeValues = z.infer<typeof RangeValues>;

export interface RegistersProtocol {
  commands: CommandParams<typeof RegistersCommands>;
  requests: RequestTypes<typeof RegistersRequests>;
  notifications: { snapshot: RegistersSnapshot; values: RangeValues };
}

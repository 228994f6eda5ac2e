/**
 * What the Tag Watch panel and its host say to each other (see ../shared/protocol.ts
 * for the envelopes): what the page sends is declared once with zod (the host
 * validates it before acting), what the host sends as types. Tag values travel as
 * the channel's own TagValue.
 *
 * The page imports this module for its types only (`import type`): the schemas are
 * the host's to run, and zod stays out of the page's bundle. Values both sides need
 * at run time live in ./rows.ts.
 */
import { z } from 'zod';
import type { ConnectionState, TagReadTick, TagValue } from '../../gateway/api/shapes';
import { defineCommand, defineRequest, messageSet, type CommandParams, type RequestTypes } from '../shared/messages';

export { HISTORY_CAPACITY, rowKey } from './rows';

export const TAG_WATCH_VIEW_TYPE = 'bifrost.tagWatch';

/** One watched tag as the table shows it. */
export interface WatchRow {
  device: string;
  name: string;
  address: string;
  type: string;
  unit?: string;
  /** The tag is one bit (coil, discrete input, bit of a register): raw is 0/1, not words. */
  bits: boolean;
  /** How often the tag is read: read ticks (TagReadTick) of this period move its read time on. */
  scanMs?: number;
  /** Its device's connection state when the snapshot was taken; `deviceStatus` notifications follow. */
  deviceState?: ConnectionState;
  value?: TagValue;
  /** Recent history, oldest first, flattened as [ts0, v0, ts1, v1, …] (booleans as 0/1). */
  history: number[];
}

/** Whether the panel can write, and if not, why (shown next to the disabled control). */
export interface WriteSupport {
  available: boolean;
  reason?: string;
}

/** Everything the panel shows, sent after `ready` and whenever it is shown again. */
export interface TagWatchSnapshot {
  title: string;
  rows: WatchRow[];
  write: WriteSupport;
  /** Why there are no live values right now ("the gateway is restarting"), if so. */
  notice?: string;
  /** The tags in the trend chart (row keys) and their longer history (see trendData.ts). */
  trend?: TrendSnapshot;
}

export interface TrendSnapshot {
  keys: string[];
  /** Per key, flattened [ts, value, …] over the last TREND_HISTORY_MS. */
  history: Record<string, number[]>;
}

export const WriteTarget = z.object({ device: z.string(), tag: z.string(), value: z.union([z.number(), z.boolean()]) });
export type WriteTarget = z.infer<typeof WriteTarget>;

export interface WritePreview {
  /**
   * The exact request PDU that will be sent (function code and data, inside the
   * transport's own framing), as spaced hex: "06 00 28 00 FA".
   */
  frameHex: string;
  /** The gateway's words for it: "write single register 40 (uint16 250 → 0x00FA)". */
  summary?: string;
}

export interface WriteOutcome {
  /** The value read back after the write, when the gateway reports one. */
  readBack?: TagValue;
  summary?: string;
}

const Empty = z.object({});

export const TagWatchCommands = messageSet(
  /** Poll the watched devices now. */
  defineCommand('refresh', Empty),
);

export const TagWatchRequests = messageSet(
  defineRequest('write.preview', WriteTarget).answers<WritePreview>(),
  defineRequest('write.commit', WriteTarget).answers<WriteOutcome>(),
  /** Save `csv` through the host's save dialog; resolves with the path, or undefined if cancelled. */
  defineRequest('export.csv', z.object({ suggestedName: z.string(), csv: z.string() })).answers<{ path?: string }>(),
  defineRequest('clipboard.copy', z.object({ text: z.string() })).answers<Record<string, never>>(),
  /** Save this panel's tags as a watch list in bifrost.json (the host asks for the name). */
  defineRequest('watchList.save', Empty).answers<{ name?: string }>(),
  /** The tags to chart (replaces the set); the host keeps their history from now on and returns what it has. */
  defineRequest('trend.select', z.object({ keys: z.array(z.string()) })).answers<TrendSnapshot>(),
);

export interface TagWatchProtocol {
  commands: CommandParams<typeof TagWatchCommands>;
  requests: RequestTypes<typeof TagWatchRequests>;
  notifications: {
    snapshot: TagWatchSnapshot;
    /**
     * Batched (every ~50 ms) values of watched tags, oldest first, then the scans
     * that completed (a value that did not change was still read then).
     */
    values: { values: TagValue[]; reads?: TagReadTick[] };
    /** A watched device's connection state changed ("not answering" shows on its rows). */
    deviceState: { device: string; state: ConnectionState };
  };
}

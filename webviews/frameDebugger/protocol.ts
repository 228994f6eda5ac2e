/**
 * What the Frame Debugger panel and its host say to each other (envelopes in
 * ../shared/protocol.ts): what the page sends is declared once with the channel's own
 * schemas (the host validates it before relaying), what the host sends as types.
 * Frames, decoded trees and exchanges are the channel's own types from gateway/api:
 * the host relays, it does not reshape. The page imports this module for its types
 * only, so the schemas (and zod) stay out of its bundle.
 */
import { z } from 'zod';
import { PcapExportParams, SendFrameParams, type CapturedFrame, type ExchangeResult } from '../../gateway/api/capture';
import { FrameDecodeParams, type DecodedFrame } from '../../gateway/api/frames';
import type { MethodResult } from '../../gateway/api/channel';
import { defineRequest, messageSet, type CommandParams, type RequestTypes } from '../shared/messages';

export const FRAME_DEBUGGER_VIEW_TYPE = 'bifrost.frameDebugger';

export interface FrameDebuggerSnapshot {
  /** The ring's frames, oldest first (the host keeps a copy bounded like the ring). */
  frames: CapturedFrame[];
  /** The ring's bound: the most frames the view keeps, paused or not. */
  capacity: number;
  /** Frames pushed out of the ring before the view saw them. */
  dropped: number;
  /** The gateway ring's drops by device when the view opened: whose frames made room for whose. */
  droppedBy?: Record<string, number>;
  /** Configured devices, for the filter and the send form. */
  devices: string[];
  /** Opened from a device's context menu: filter to it. */
  focusDevice?: string;
  /** Why no frames arrive right now ("the gateway is restarting"), if so. */
  notice?: string;
}

const Empty = z.object({});
const TypedFrame = SendFrameParams.pick({ device: true, hex: true });

export const FrameDebuggerCommands = messageSet();

export const FrameDebuggerRequests = messageSet(
  defineRequest('frames.decode', FrameDecodeParams).answers<DecodedFrame>(),
  defineRequest('capture.clear', Empty).answers<Record<string, never>>(),
  /** The host asks where to save, writes the file, and answers with its path (none when cancelled). */
  defineRequest('capture.exportPcap', PcapExportParams).answers<{ path?: string; frames: number }>(),
  /** Bifrost: Record Capture to Disk…: the gateway writes every frame to pcapng until stopped. */
  defineRequest('capture.record', Empty).answers<{ path?: string }>(),
  defineRequest('capture.replay', z.object({ frameId: z.number().int() })).answers<ExchangeResult>(),
  defineRequest('capture.send', TypedFrame).answers<ExchangeResult>(),
  /** The whole frame `capture.send` would send for the typed hex, and what was added to it. */
  defineRequest('capture.prepare', TypedFrame).answers<MethodResult<'capture.prepare'>>(),
);

export interface FrameDebuggerProtocol {
  commands: CommandParams<typeof FrameDebuggerCommands>;
  requests: RequestTypes<typeof FrameDebuggerRequests>;
  notifications: {
    snapshot: FrameDebuggerSnapshot;
    /** Batched like the channel's `frames` event, oldest first. */
    frames: { frames: CapturedFrame[] };
  };
}

/**
 * What the Frame Debugger panel and its host say to each other (envelopes in
 * ../shared/protocol.ts). Frames, decoded trees and exchanges are the channel's own
 * types from gateway/api: the host relays, it does not reshape.
 */
import type { CapturedFrame, ExchangeResult, PcapExportParams } from '../../gateway/api/capture';
import type { DecodedFrame, FrameDecodeParams } from '../../gateway/api/frames';
import type { MethodResult } from '../../gateway/api/channel';

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

export interface FrameDebuggerProtocol {
  commands: Record<string, never>;
  requests: {
    'frames.decode': { params: FrameDecodeParams; result: DecodedFrame };
    'capture.clear': { params: Record<string, never>; result: Record<string, never> };
    /** The host asks where to save, writes the file, and answers with its path (none when cancelled). */
    'capture.exportPcap': { params: PcapExportParams; result: { path?: string; frames: number } };
    /** Bifrost: Record Capture to Disk…: the gateway writes every frame to pcapng until stopped. */
    'capture.record': { params: Record<string, never>; result: { path?: string } };
    'capture.replay': { params: { frameId: number }; result: ExchangeResult };
    'capture.send': { params: { device: string; hex: string }; result: ExchangeResult };
    /** The whole frame `capture.send` would send for the typed hex, and what was added to it. */
    'capture.prepare': { params: { device: string; hex: string }; result: MethodResult<'capture.prepare'> };
  };
  notifications: {
    snapshot: FrameDebuggerSnapshot;
    /** Batched like the channel's `frames` event, oldest first. */
    frames: { frames: CapturedFrame[] };
  };
}

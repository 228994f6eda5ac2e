/** The capture ring on the channel: its methods, and the batched `frames` event. */
import { deviceFraming, FrameRefusedError, replayFrame, sendFrame, type ExchangeTarget } from '../capture/exchange';
import { completeTypedFrame, TypedFrameError } from '../capture/typedFrame';
import { decodeFrame } from '../protocol/decoder';
import { FrameBatcher } from '../capture/frameBatcher';
import { filterFrames, writePcap } from '../capture/pcap';
import { RecordingRefusedError, type CaptureRecorder } from '../capture/recorder';
import type { CaptureRing } from '../capture/ring';
import type { Framing } from '../api/frames';
import type { MethodHandlers } from './dispatcher';
import { parseHexBytes } from './frameHandlers';
import { ChannelRequestError } from './requestError';
import type { ChannelServer } from './server';

export function createCaptureHandlers(
  ring: CaptureRing,
  recorder: CaptureRecorder,
): Pick<MethodHandlers, 'capture.snapshot' | 'capture.clear' | 'capture.watch' | 'capture.record' | 'capture.stopRecording'> {
  return {
    'capture.record': (params) => {
      try {
        return recorder.start(params);
      } catch (error) {
        if (error instanceof RecordingRefusedError) throw new ChannelRequestError('invalid_params', error.message);
        throw error;
      }
    },
    'capture.stopRecording': () => recorder.stop(),
    'capture.snapshot': (params) => ring.snapshot(params.limit),
    'capture.watch': (params, caller) => ({ watchers: caller.watchFrames(params.live) }),
    'capture.clear': () => {
      ring.clear();
      return {};
    },
  };
}

/** pcap export, replay and hand-written frames: they need the engine's sessions, not only the ring. */
export function createCaptureExchangeHandlers(
  engine: ExchangeTarget & { hasDevice(name: string): boolean },
): Pick<MethodHandlers, 'capture.exportPcap' | 'capture.replay' | 'capture.send' | 'capture.prepare'> {
  const refusals = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FrameRefusedError || error instanceof TypedFrameError) throw new ChannelRequestError('invalid_params', error.message);
      throw error;
    }
  };
  /** The typed hex as the whole frame in the device's framing (typedFrame.ts). */
  const completed = (params: { device: string; hex: string; framing?: Framing }) => {
    if (!engine.hasDevice(params.device)) throw new ChannelRequestError('unknown_device', `no device named "${params.device}"`);
    const device = engine.deviceConfig(params.device);
    const framing = params.framing ?? deviceFraming(device);
    try {
      return { framing, ...completeTypedFrame(parseHexBytes(params.hex), framing, device.unitId) };
    } catch (error) {
      if (error instanceof TypedFrameError) throw new ChannelRequestError('invalid_params', error.message);
      throw error;
    }
  };
  return {
    'capture.exportPcap': (params) => {
      const frames = filterFrames(engine.capture.snapshot().frames, params);
      return { base64: writePcap(frames).toString('base64'), frames: frames.length };
    },
    'capture.replay': (params) => refusals(() => replayFrame(engine, params.frameId)),
    'capture.send': (params) => {
      const { bytes, framing } = completed(params);
      return refusals(() => sendFrame(engine, params.device, bytes, framing));
    },
    'capture.prepare': (params) => {
      const { bytes, framing, form, note } = completed(params);
      return { hex: bytes.toString('hex'), form, note, decoded: decodeFrame(bytes, { framing, direction: 'request' }) };
    },
  };
}

/**
 * Broadcast captured frames in batches to the connections watching them; returns the
 * function that stops it. While nobody watches, the ring has no listener at all: a
 * captured frame then costs its slot in the ring and nothing more.
 */
export function bridgeCaptureToChannel(ring: CaptureRing, server: Pick<ChannelServer, 'broadcast' | 'onFrameWatchers'>): () => void {
  const batcher = new FrameBatcher((frames) => server.broadcast('frames', { frames }));
  let unsubscribe: (() => void) | undefined;
  server.onFrameWatchers((count) => {
    if (count > 0) unsubscribe ??= ring.subscribe((frame) => batcher.push(frame));
    else {
      unsubscribe?.();
      unsubscribe = undefined;
      batcher.close();
    }
  });
  return () => {
    unsubscribe?.();
    server.onFrameWatchers(() => {});
    batcher.close();
  };
}

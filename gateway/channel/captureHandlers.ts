/** The capture ring on the channel: its methods, and the batched `frames` event. */
import { FrameBatcher } from '../capture/frameBatcher';
import type { CaptureRing } from '../capture/ring';
import type { MethodHandlers } from './dispatcher';
import type { ChannelServer } from './server';

export function createCaptureHandlers(ring: CaptureRing): Pick<MethodHandlers, 'capture.snapshot' | 'capture.clear'> {
  return {
    'capture.snapshot': (params) => ring.snapshot(params.limit),
    'capture.clear': () => {
      ring.clear();
      return {};
    },
  };
}

/** Broadcast captured frames in batches; returns the function that stops it. */
export function bridgeCaptureToChannel(ring: CaptureRing, server: Pick<ChannelServer, 'broadcast'>): () => void {
  const batcher = new FrameBatcher((frames) => server.broadcast('frames', { frames }));
  const unsubscribe = ring.subscribe((frame) => batcher.push(frame));
  return () => {
    unsubscribe();
    batcher.close();
  };
}

/**
 * Marks, in the capture, what the in-process simulator did wrong on purpose.
 *
 * The simulator's replies reach the capture as the frames the device's link
 * receives; the simulator does not capture them itself. So when it injects a fault
 * it tells the ledger the bytes it sent, and the first received frame holding
 * those bytes gets `injected` set. A fault that sends nothing (drop, silence,
 * reset), or whose bytes no link ever takes as a frame (garbage that closes the
 * connection), becomes an empty frame of its own carrying the label, so every
 * injection is visible.
 */
import type { InjectedFault } from '../simulator/faultPlan';
import { frameTimestamp, type LinkFrame } from '../transport/frames';

/** How long sent bytes wait to be received before they are reported on their own. */
const RECEIVE_WAIT_MS = 1500;
/** Injections waiting at once; past this the oldest is reported on its own. */
const MAX_WAITING = 256;

interface Waiting {
  bytes: Buffer;
  label: string;
  unitId: number;
  device?: string;
  timer: NodeJS.Timeout;
}

export interface InjectionContext {
  /** The link name the device's frames carry ("tcp://127.0.0.1:41234"). */
  link: string;
  device?: string;
  /** Milliseconds before the bytes leave (a delayed reply). */
  sendDelayMs?: number;
}

export class InjectionLedger {
  private readonly waiting: Waiting[] = [];

  /** `push` puts a frame in the capture. */
  constructor(private readonly push: (frame: LinkFrame) => void) {}

  record(injected: InjectedFault, context: InjectionContext): void {
    const base = { device: context.device, unitId: injected.unitId };
    if (!injected.bytes || injected.bytes.length === 0) {
      this.push(marker(context.link, injected.label, base));
      return;
    }
    if (this.waiting.length >= MAX_WAITING) this.expire(this.waiting[0], context.link);
    const entry: Waiting = {
      bytes: injected.bytes,
      label: injected.label,
      ...base,
      timer: setTimeout(() => this.expire(entry, context.link), RECEIVE_WAIT_MS + (context.sendDelayMs ?? 0)),
    };
    entry.timer.unref();
    this.waiting.push(entry);
  }

  /** Set `injected` on a received frame that carries injected bytes. Cheap while nothing waits. */
  annotate(frame: LinkFrame): void {
    if (this.waiting.length === 0 || frame.direction !== 'rx') return;
    const index = this.waiting.findIndex((entry) => frame.bytes.includes(entry.bytes) || (frame.bytes.length > 0 && entry.bytes.includes(frame.bytes)));
    if (index < 0) return;
    const [entry] = this.waiting.splice(index, 1);
    clearTimeout(entry.timer);
    frame.injected = entry.label;
  }

  close(): void {
    for (const entry of this.waiting) clearTimeout(entry.timer);
    this.waiting.length = 0;
  }

  private expire(entry: Waiting, link: string): void {
    const index = this.waiting.indexOf(entry);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    clearTimeout(entry.timer);
    const label = `${entry.label} (${entry.bytes.length} byte(s) sent, not received as a frame)`;
    this.push({ ...marker(link, label, entry), bytes: entry.bytes });
  }
}

function marker(link: string, label: string, where: { device?: string; unitId: number }): LinkFrame {
  const frame: LinkFrame = { direction: 'rx', timestamp: frameTimestamp(), bytes: Buffer.alloc(0), link, unitId: where.unitId, injected: label };
  if (where.device !== undefined) frame.device = where.device;
  return frame;
}

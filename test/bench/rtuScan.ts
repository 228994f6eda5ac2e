/**
 * One RTU scan measurement: `bifrost-gateway simulate --rtu` on one end of a pty
 * pair (holding each reply for its wire time, since a pty has no baud rate), a
 * Bifrost RTU session from the SessionFactory on the other, reading the planned
 * blocks again and again; and where the time goes, from the session's frame
 * timestamps.
 */
import { Device, Tag } from '../../gateway/api/config';
import { silentLogger } from '../../gateway/engine/logger';
import { planReads } from '../../gateway/engine/planner';
import type { DeviceSession } from '../../gateway/engine/session';
import { SessionFactory } from '../../gateway/engine/sessionFactory';
import { resolveTag, type ResolvedTag } from '../../gateway/tags/resolve';
import { silenceMs } from './busTime';
import { startNodeChild, stopChild } from './children';
import { sessionClient } from './clients';
import { builtPrograms } from './programs';
import { nowMs } from './stats';

const CONNECT_DEADLINE_MS = 5000;

export interface PtyEnds {
  simulator: string;
  gateway: string;
}

/** Three reads of different sizes on the demo device: 10 and 50 holding registers, 125 input registers. */
export function rtuTags(): ResolvedTag[] {
  const configs = [
    ...Array.from({ length: 10 }, (_, i) => ({ name: `a${i}`, address: `HR:${i}` })),
    ...Array.from({ length: 50 }, (_, i) => ({ name: `b${i}`, address: `HR:${100 + i}` })),
    ...Array.from({ length: 125 }, (_, i) => ({ name: `c${i}`, address: `IR:${i}` })),
  ];
  return configs.map((config) => {
    const resolution = resolveTag(Tag.parse(config));
    if (!resolution.ok) throw new Error(`bench tag ${resolution.name}: ${resolution.error}`);
    return resolution.tag;
  });
}

async function connected(session: DeviceSession): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`RTU session did not open within ${CONNECT_DEADLINE_MS} ms: ${session.status.lastError ?? ''}`)), CONNECT_DEADLINE_MS);
    session.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    session.start();
  });
}

export interface LineRun {
  baud: number;
  maxScans: number;
  maxMs: number;
}

export interface ScanTiming {
  msPerScan: number;
  scans: number;
  /** Per read, ms beyond the spec from request sent to reply received (the simulator, the pty, socat). */
  replyExtraMs: number;
  /** Per read, ms beyond t3.5 from a reply received to the next request sent (the gateway's turnaround). */
  turnaroundExtraMs: number;
}

/**
 * Where a scan's time goes, from the session's frame timestamps: each request to
 * its reply should take the wire time of both plus t3.5 (the simulator's emulation);
 * each reply to the next request t3.5 (the gateway's silence).
 */
function splitTime(frames: readonly { direction: string; timestamp: number; length: number }[], baud: number): Pick<ScanTiming, 'replyExtraMs' | 'turnaroundExtraMs'> {
  const characterMs = (11 * 1000) / baud;
  const replies: number[] = [];
  const turnarounds: number[] = [];
  for (let i = 0; i + 1 < frames.length; i++) {
    const [a, b] = [frames[i], frames[i + 1]];
    if (a.direction === 'tx' && b.direction === 'rx') {
      replies.push(b.timestamp - a.timestamp - (a.length + b.length) * characterMs - silenceMs(baud));
    } else if (a.direction === 'rx' && b.direction === 'tx') {
      turnarounds.push(b.timestamp - a.timestamp - silenceMs(baud));
    }
  }
  // Means, not medians: the two parts and the spec add up to the mean scan time.
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return { replyExtraMs: mean(replies), turnaroundExtraMs: mean(turnarounds) };
}

/** Mean ms per scan of the planned blocks through a Bifrost RTU session. */
export async function measureScan(ends: PtyEnds, run: LineRun): Promise<ScanTiming> {
  const blocks = planReads(rtuTags());
  const simulator = await startNodeChild(builtPrograms().gatewayJs, ['simulate', '--rtu', ends.simulator, '--baud', String(run.baud)], /serving/);
  const frames: { direction: string; timestamp: number; length: number }[] = [];
  let recording = false;
  const factory = new SessionFactory({
    logger: silentLogger,
    demoEndpoint: () => Promise.reject(new Error('no demo device in the bench')),
    onFrame: (frame) => {
      if (recording) frames.push({ direction: frame.direction, timestamp: frame.timestamp, length: frame.bytes.length });
    },
  });
  const device = Device.parse({ name: `rtu-${run.baud}`, transport: { kind: 'rtu', path: ends.gateway, baudRate: run.baud, parity: 'even' }, unitId: 1, timeoutMs: 2000, retries: 0 });
  const session = factory.create(device);
  try {
    await connected(session);
    const client = sessionClient('Bifrost RTU', session);
    const scan = async () => {
      for (const block of blocks) await client.read(block.table, block.start, block.quantity);
    };
    await scan(); // warm-up: the first scan also pays for JIT and the port's first bytes
    recording = true;
    const started = nowMs();
    const durations: number[] = [];
    while (durations.length < run.maxScans && (durations.length === 0 || nowMs() - started < run.maxMs)) {
      const scanStarted = nowMs();
      await scan();
      durations.push(nowMs() - scanStarted);
    }
    const msPerScan = durations.reduce((sum, duration) => sum + duration, 0) / durations.length;
    return { msPerScan, scans: durations.length, ...splitTime(frames, run.baud) };
  } finally {
    session.stop();
    const exited = new Promise((resolve) => simulator.child.once('exit', resolve));
    stopChild(simulator.child);
    // The next simulator opens the same pty end: wait until this one let go of it.
    if (simulator.child.exitCode === null && simulator.child.signalCode === null) await exited;
  }
}

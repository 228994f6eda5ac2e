/**
 * Part 3: RTU over a socat pty pair at 9600 and 115200 baud: the scan time of a
 * Bifrost RTU session against the bus time the spec's arithmetic gives for the
 * same reads.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planReads } from '../../gateway/engine/planner';
import { registerReadBusTimeMs } from './busTime';
import { startChild, stopChild } from './children';
import { num, table, verdict } from './report';
import { measureScan, rtuTags } from './rtuScan';

const BAUDS = [
  { baud: 9600, maxScans: 6, maxMs: 4000 },
  { baud: 115_200, maxScans: 80, maxMs: 4000 },
];
const TOLERANCE = 0.15;

function percent(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${num(fraction * 100, 2)}%`;
}

function socatMissing(): string | undefined {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'socat is missing (apt-get install socat, or run scripts/setup.sh)';
  }
}

export async function rtuSection(progress: (message: string) => void): Promise<string[]> {
  const head = ['### 3. RTU over a pseudo-terminal (socat pty pair, 8E1; the simulator holds each reply for its wire time)', ''];
  const missing = socatMissing();
  if (missing) return [...head, `not available: ${missing}`];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-bench-'));
  const ends = { simulator: path.join(dir, 'simulator'), gateway: path.join(dir, 'gateway') };
  const socat = await startChild('socat', ['-d', '-d', `pty,raw,echo=0,link=${ends.simulator}`, `pty,raw,echo=0,link=${ends.gateway}`], /starting data transfer loop/);
  const blocks = planReads(rtuTags());
  const rows: string[][] = [];
  let allWithin = true;
  try {
    for (const run of BAUDS) {
      progress(`RTU at ${run.baud} baud`);
      const emulated = await measureScan(ends, run);
      const spec = blocks.reduce((sum, block) => sum + registerReadBusTimeMs(block.quantity, run.baud), 0);
      const deviation = emulated.msPerScan / spec - 1;
      const within = Math.abs(deviation) <= TOLERANCE;
      allWithin &&= within;
      rows.push([
        num(run.baud),
        `${blocks.length} (${blocks.map((block) => block.quantity).join(' + ')} registers)`,
        num(spec),
        num(emulated.msPerScan),
        percent(deviation),
        percent((blocks.length * emulated.replyExtraMs) / spec),
        percent((blocks.length * emulated.turnaroundExtraMs) / spec),
        num(emulated.scans),
        within ? 'yes' : 'no',
      ]);
    }
  } finally {
    stopChild(socat.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [
    ...head,
    table(['Baud', 'reads/scan', 'spec bus time ms/scan', 'measured ms/scan', 'difference', 'of which pty rig + simulator', 'of which gateway', 'scans', `within ${TOLERANCE * 100}%`], rows),
    '',
    'Spec bus time per N-register read: (13 + 2N) × 11 / baud + 2 × t3.5 (t3.5 = 3.5 × 11 / baud, 1.75 ms above 19200). ' +
      'Where the difference goes, from the session\'s frame timestamps (means per read, × reads, as % of the spec): ' +
      '"pty rig + simulator" is request sent → reply received beyond both frames\' wire time and t3.5 (socat\'s relay, the pty, ' +
      'the simulator process: what a real line does not have); "gateway" is reply received → next request sent beyond t3.5.',
    '',
    `Goal: scan time within ${TOLERANCE * 100}% of the spec's bus time: ${verdict(allWithin)}.`,
  ];
}

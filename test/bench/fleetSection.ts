/**
 * Many devices, one gateway: `bifrost-gateway run` polling 1,000 Modbus TCP devices
 * (10 tags each, every 1 s) for 60 s, then 5,000 for a shorter while. The devices are
 * one process listening on as many ports (fleetServer.ts), which times every poll
 * against its schedule: the previous poll of that device plus the poll period. The
 * gateway's CPU comes from /proc (user + system over the measured window, as a share
 * of one core), its memory from VmRSS sampled every second of the window: the median
 * is what it holds, the peak what it reached (one sample at the end swung by ±30 MB
 * with where V8's collector happened to be, for the same build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startChild, stopChild } from './children';
import { builtPrograms } from './programs';
import { cpuMsAllThreads as cpuMs, processTimes, rssMb, since } from './procStats';
import { num, table, verdict } from './report';

const POLL_MS = 1000;
const TAGS = 10;
const RUNS = [
  { devices: 1000, seconds: 60, goals: true },
  { devices: 5000, seconds: 20, goals: false },
];
const GOALS = { p99LatenessMs: 50, cpuShare: 0.2, rssMb: 200 };

interface Report {
  polls: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

interface FleetResult {
  devices: number;
  seconds: number;
  report: Report;
  cpuShare: number;
  /** Share of the window the gateway's event loop was ready to run but waited for a CPU. */
  waitShare: number;
  /** VmRSS over the window, sampled once a second. */
  rss: { medianMb: number; peakMb: number };
}

export async function fleetSection(progress: (message: string) => void): Promise<string[]> {
  const results: FleetResult[] = [];
  for (const run of RUNS) {
    progress(`fleet: ${run.devices} devices for ${run.seconds} s`);
    results.push(await measureFleet(run.devices, run.seconds));
  }
  const [main] = results;
  const row = (r: FleetResult) => [
    num(r.devices),
    `${r.seconds} s`,
    num(r.report.polls),
    num(r.report.p50),
    num(r.report.p99),
    num(r.report.max),
    `${num(r.cpuShare * 100)}%`,
    `${num(r.waitShare * 100)}%`,
    num(r.rss.medianMb),
    num(r.rss.peakMb),
  ];
  return [
    `### Many devices, one gateway: \`bifrost-gateway run\` polling N Modbus TCP devices (${TAGS} tags each, every ${POLL_MS / 1000} s), all on 127.0.0.1`,
    '',
    table(['Devices', 'Measured', 'Polls', 'Lateness p50 ms', 'p99 ms', 'max ms', 'Gateway CPU (one core)', 'Gateway waiting for a CPU', 'Gateway RSS median MB', 'peak MB'], results.map(row)),
    '',
    table(['Goal (1,000 devices)', 'Measured', 'Verdict'], [
      [`p99 lateness of a poll ≤ ${GOALS.p99LatenessMs} ms`, `${num(main.report.p99)} ms`, verdict(main.report.p99 <= GOALS.p99LatenessMs)],
      [`gateway CPU ≤ ${GOALS.cpuShare * 100}% of one core`, `${num(main.cpuShare * 100)}%`, verdict(main.cpuShare <= GOALS.cpuShare)],
      [`gateway RSS ≤ ${GOALS.rssMb} MB (median over the window)`, `${num(main.rss.medianMb)} MB (peak ${num(main.rss.peakMb)})`, verdict(main.rss.medianMb <= GOALS.rssMb)],
    ]),
    '',
    'Lateness is how much later than the previous poll plus the period a device saw its poll (the gateway schedules each scan from the start of the previous one); ' +
      "the devices share the machine with the gateway. CPU counts all the gateway's threads; waiting is its event-loop thread's time ready to run with no CPU free (/proc schedstat). " +
      'RSS is VmRSS sampled every second of the window: its median, and the peak.',
  ];
}

async function measureFleet(devices: number, seconds: number): Promise<FleetResult> {
  const fleet = await startChild(process.execPath, [builtPrograms().fleetServerJs, '--devices', String(devices), '--poll-ms', String(POLL_MS)], /ports ([\d,]+)\n/, 60_000);
  const ports = fleet.match[1].split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-fleet-'));
  const configPath = path.join(dir, 'bifrost.json');
  const tags = Array.from({ length: TAGS }, (_, i) => ({ name: `t${i}`, address: `HR:${i}` }));
  const config = { devices: ports.map((port, i) => ({ name: `d${i}`, transport: { kind: 'tcp', host: '127.0.0.1', port }, pollMs: POLL_MS, tags })) };
  fs.writeFileSync(configPath, JSON.stringify(config));
  let gateway: ChildProcess | undefined;
  try {
    gateway = (await startChild(process.execPath, [builtPrograms().gatewayJs, 'run', '--config', configPath], /running \d+ device/, 60_000)).child;
    // Warm up: every device connected and polled a few times.
    await until(async () => (await ask(fleet.child, 'report')).polls >= devices * 3, 60_000);
    await ask(fleet.child, 'reset');
    const cpuBefore = cpuMs(gateway.pid!);
    const before = processTimes(gateway.pid!);
    const rss = await sampleRss(gateway.pid!, seconds);
    const report = await ask(fleet.child, 'report');
    const cpuShare = (cpuMs(gateway.pid!) - cpuBefore) / (seconds * 1000);
    const waitShare = since(before, processTimes(gateway.pid!)).waitMs / (seconds * 1000);
    return { devices, seconds, report, cpuShare, waitShare, rss };
  } finally {
    if (gateway) stopChild(gateway);
    stopChild(fleet.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** VmRSS once a second for `seconds`: its median and peak. */
async function sampleRss(pid: number, seconds: number): Promise<{ medianMb: number; peakMb: number }> {
  const samples: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    samples.push(rssMb(pid));
  }
  samples.sort((a, b) => a - b);
  return { medianMb: samples[Math.floor(samples.length / 2)], peakMb: samples[samples.length - 1] };
}

/** Send a command to the fleet; resolves with its next report line ("reset" also gets one). */
function ask(child: ChildProcess, command: 'report' | 'reset'): Promise<Report> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fleet did not answer "${command}"`)), 10_000);
    let text = '';
    const look = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /report (\{.*\})\n/.exec(text);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      resolve(JSON.parse(match[1]) as Report);
    };
    child.stdout?.on('data', look);
    child.stdin?.write(command === 'reset' ? 'reset\nreport\n' : 'report\n');
  });
}

async function until(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`the fleet was not polled within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}


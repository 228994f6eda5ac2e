/**
 * The bench's C references (native/*.c): the machine's floor for a client
 * (pingClient) and for a relay (bareRelay). They are not Bifrost and never ship;
 * they are measured in the same run so that a goal can be judged against what
 * this machine allows at all, whatever the language.
 *
 * Compiled by run.ts (nativeBuild.ts); without a C compiler the rows say so.
 */
import { execFile } from 'node:child_process';
import { startChild, stopChild } from './children';
import type { BenchServer } from './servers';

export type { NativePrograms } from './nativeBuild';

export interface NativeRound {
  samplesMs: number[];
  elapsedMs: number;
  cpuUs: number;
}

/** One round of `count` requests, one at a time, by the C client against `port`. */
export function runPingClient(program: string, port: number, count: number): Promise<NativeRound> {
  return new Promise((resolve, reject) => {
    execFile(program, [String(port), String(count)], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`pingClient: ${stderr.trim() || error.message}`));
      const [totals, samples] = stdout.trim().split('\n');
      const [elapsedUs, cpuUs] = totals.split(' ').map(Number);
      resolve({ samplesMs: samples.split(' ').map((us) => Number(us) / 1000), elapsedMs: elapsedUs / 1000, cpuUs });
    });
  });
}

/** The C relay in front of `upstreamPort`, as a server the clients can connect to. */
export async function startBareRelay(program: string, upstreamPort: number): Promise<BenchServer> {
  const { child, match } = await startChild(program, [String(upstreamPort)], /listening (\d+)/);
  return { name: 'bare C relay', port: Number(match[1]), stop: () => stopChild(child) };
}

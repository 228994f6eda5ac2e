/**
 * Where a child process's time went, from Linux's /proc: CPU it ran (user + system)
 * and time it spent ready to run but waiting for a CPU (schedstat's run-queue wait).
 * On a shared 2-core machine the second is often the larger: a round trip through
 * three processes waits for cores more than it computes.
 */
import fs from 'node:fs';

export interface ProcessTimes {
  /** CPU time so far, ms. */
  cpuMs: number;
  /** Time spent runnable but not running, ms. */
  waitMs: number;
}

export function processTimes(pid: number): ProcessTimes {
  // schedstat: ns on a CPU, ns waiting on a run queue, time slices.
  const [onCpu, waiting] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
  return { cpuMs: onCpu / 1e6, waitMs: waiting / 1e6 };
}

/** The difference between two readings. */
export function since(before: ProcessTimes, after: ProcessTimes): ProcessTimes {
  return { cpuMs: after.cpuMs - before.cpuMs, waitMs: after.waitMs - before.waitMs };
}

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** User + system CPU of a process and all its threads so far, in ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms). */
export function cpuMsAllThreads(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

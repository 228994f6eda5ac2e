/**
 * Part 1: single-request latency. Each client issues the same 10-register FC 3
 * read, one at a time, against the same server. The clients take turns in short
 * rounds (A B A B …) so a burst of noise from other work on the machine hits both alike.
 */
import type { BenchClient } from './clients';
import { nowMs, summarize, type LatencySummary } from './stats';

export interface LatencyResult extends LatencySummary {
  /** This process's CPU (user + system) per request: the client's own cost. */
  cpuUsPerRequest: number;
}

export interface LatencyPlan {
  warmup: number;
  rounds: number;
  perRound: number;
  /** A round stops early past this, so a slow client cannot stall the bench. */
  roundDeadlineMs: number;
}

const ADDRESS = 100;
const QUANTITY = 10;

interface RoundTotals {
  elapsedMs: number;
  cpuUs: number;
}

/**
 * A contender that runs a whole round itself, in its own process (the C client):
 * it reports its samples, elapsed time and its own CPU.
 */
export interface RoundRunner {
  readonly name: string;
  round(count: number): Promise<{ samplesMs: number[]; elapsedMs: number; cpuUs: number }>;
}

export type Contender = BenchClient | RoundRunner;

function runContenderRound(contender: Contender, count: number, deadlineMs: number, samples: number[], totals: RoundTotals): Promise<void> {
  if ('read' in contender) return runRound(contender, count, deadlineMs, samples, totals);
  return contender.round(count).then((result) => {
    for (const sample of result.samplesMs) samples.push(sample);
    totals.elapsedMs += result.elapsedMs;
    totals.cpuUs += result.cpuUs;
  });
}

async function runRound(client: BenchClient, count: number, deadlineMs: number, samples: number[], totals: RoundTotals): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const started = nowMs();
  const deadline = started + deadlineMs;
  for (let i = 0; i < count; i++) {
    const sent = nowMs();
    const data = await client.read('holdingRegister', ADDRESS, QUANTITY);
    const done = nowMs();
    samples.push(done - sent);
    if (data.length < QUANTITY) throw new Error(`${client.name} read ${data.length} registers, expected ${QUANTITY}`);
    if (done > deadline) break;
  }
  totals.elapsedMs += nowMs() - started;
  const cpu = process.cpuUsage(cpuBefore);
  totals.cpuUs += cpu.user + cpu.system;
}

/** Latency of each client, in the order given, from interleaved rounds. */
export async function compareLatency(clients: readonly Contender[], plan: LatencyPlan): Promise<LatencyResult[]> {
  for (const client of clients) await runContenderRound(client, plan.warmup, plan.roundDeadlineMs, [], { elapsedMs: 0, cpuUs: 0 });
  const samples = clients.map(() => [] as number[]);
  const totals = clients.map((): RoundTotals => ({ elapsedMs: 0, cpuUs: 0 }));
  for (let round = 0; round < plan.rounds; round++) {
    // Alternate who goes first, so neither always follows the other's GC.
    const order = round % 2 === 0 ? clients.map((_, i) => i) : clients.map((_, i) => clients.length - 1 - i);
    for (const index of order) await runContenderRound(clients[index], plan.perRound, plan.roundDeadlineMs, samples[index], totals[index]);
  }
  return clients.map((_, index) => ({
    ...summarize(samples[index], totals[index].elapsedMs),
    cpuUsPerRequest: totals[index].cpuUs / samples[index].length,
  }));
}

/**
 * Requests per second with `depth` requests kept in flight on one connection
 * (pipelining, for devices that allow it); for reference, not the goal's figure.
 */
export async function pipelinedRate(client: BenchClient, depth: number, count: number, deadlineMs: number): Promise<number> {
  return (await pipelinedRound(client, depth, count, deadlineMs)).rate;
}

export interface PipelinedResult {
  rate: number;
  /** This process's CPU (user + system) per request. */
  cpuUsPerRequest: number;
}

async function pipelinedRound(client: BenchClient, depth: number, count: number, deadlineMs: number): Promise<PipelinedResult & { completed: number; elapsedMs: number; cpuUs: number }> {
  let issued = 0;
  let completed = 0;
  const cpuBefore = process.cpuUsage();
  const started = nowMs();
  const deadline = started + deadlineMs;
  const worker = async () => {
    while (issued < count && nowMs() < deadline) {
      issued++;
      const data = await client.read('holdingRegister', ADDRESS, QUANTITY);
      if (data.length < QUANTITY) throw new Error(`${client.name} read ${data.length} registers, expected ${QUANTITY}`);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: depth }, worker));
  const elapsedMs = nowMs() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUs = cpu.user + cpu.system;
  return { rate: completed / (elapsedMs / 1000), cpuUsPerRequest: cpuUs / completed, completed, elapsedMs, cpuUs };
}

export interface PipelinePlan {
  depth: number;
  warmup: number;
  rounds: number;
  perRound: number;
  roundDeadlineMs: number;
}

/** Pipelined throughput of each client, in the order given, from interleaved rounds (as compareLatency). */
export async function comparePipelined(clients: readonly BenchClient[], plan: PipelinePlan): Promise<PipelinedResult[]> {
  for (const client of clients) await pipelinedRound(client, plan.depth, plan.warmup, plan.roundDeadlineMs);
  const totals = clients.map(() => ({ completed: 0, elapsedMs: 0, cpuUs: 0 }));
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? clients.map((_, i) => i) : clients.map((_, i) => clients.length - 1 - i);
    for (const index of order) {
      const result = await pipelinedRound(clients[index], plan.depth, plan.perRound, plan.roundDeadlineMs);
      totals[index].completed += result.completed;
      totals[index].elapsedMs += result.elapsedMs;
      totals[index].cpuUs += result.cpuUs;
    }
  }
  return totals.map((total) => ({ rate: total.completed / (total.elapsedMs / 1000), cpuUsPerRequest: total.cpuUs / total.completed }));
}

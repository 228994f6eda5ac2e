/**
 * The proxy section: what the hop through a Bifrost proxy costs. One client reading
 * directly from the bench responder against the same through a proxy (its own
 * process, as `bifrost-gateway proxy` runs), and 16 clients in parallel through the
 * proxy (upstream maxInFlight 16) against 16 requests in flight on one direct
 * connection. Rounds alternate direct and proxied so drift hits both alike.
 *
 * Two references bound what any proxy could reach here: a C relay that parses
 * nothing (the floor of the extra hop: two more process wake-ups per request),
 * and 16 clients connected straight to the responder (no proxy at all: the most
 * 16 separate connections get against one pipelined one).
 */
import { startChild, startNodeChild, stopChild } from './children';
import { startBareRelay } from './native';
import { builtPrograms } from './programs';
import { connectPipelining, runLanes, type PipeliningSocket, type RunResult } from './proxyClients';
import { num, ratio, table, verdict } from './report';
import type { BenchServer } from './servers';
import { processTimes, since, type ProcessTimes } from './procStats';
import { percentile } from './stats';

const PARALLEL = 16;
const PLAN = { warmup: 2000, rounds: 6, single: 2000, parallelPerLane: 500 };
/** Goals against the floors measured in the same rounds: the Node relay that parses nothing, and 16 clients with no proxy. */
const GOALS = { singleOfNodeRelay: 0.9, parallelOfNoProxy: 1.0 };

interface Totals {
  rate: number;
  p50: number;
  p99: number;
}

/** `nodeArgs`: extra Node flags for the proxy process (proxyProfile.ts passes --cpu-prof). */
export async function proxySection(fast: BenchServer, options: { nodeArgs?: string[] } = {}): Promise<string[]> {
  const { child, match } = await startChild(
    process.execPath,
    [...(options.nodeArgs ?? []), builtPrograms().gatewayJs, 'proxy', '--listen', '127.0.0.1:0', '--upstream', `tcp://127.0.0.1:${fast.port}`, '--max-in-flight', String(PARALLEL), '--max-clients', '64'],
    /listening on 127\.0\.0\.1:(\d+)/,
  );
  const proxyPort = Number(match[1]);
  const native = builtPrograms().native;
  const relay = native?.bareRelay ? await startBareRelay(native.bareRelay, fast.port) : undefined;
  const nodeRelay = await startNodeChild(builtPrograms().nodeRelayJs, [String(fast.port)], /listening (\d+)/);
  const direct = await connectPipelining(fast.port);
  const viaProxy = await connectPipelining(proxyPort);
  const parallel = await Promise.all(Array.from({ length: PARALLEL }, () => connectPipelining(proxyPort)));
  const parallelDirect = await Promise.all(Array.from({ length: PARALLEL }, () => connectPipelining(fast.port)));
  const viaRelay = relay ? await connectPipelining(relay.port) : undefined;
  const viaNodeRelay = await connectPipelining(Number(nodeRelay.match[1]));
  const all: PipeliningSocket[] = [direct, viaProxy, viaNodeRelay, ...parallel, ...parallelDirect, ...(viaRelay ? [viaRelay] : [])];
  try {
    await runLanes([direct], 1, PLAN.warmup);
    await runLanes([viaProxy], 1, PLAN.warmup);
    if (viaRelay) await runLanes([viaRelay], 1, PLAN.warmup);
    await runLanes([viaNodeRelay], 1, PLAN.warmup);
    await runLanes(parallel, 1, PLAN.warmup / PARALLEL);
    await runLanes(parallelDirect, 1, PLAN.warmup / PARALLEL);
    await runLanes([direct], PARALLEL, PLAN.warmup / PARALLEL);
    const results: Record<'direct1' | 'proxy1' | 'relay1' | 'nodeRelay1' | 'proxy16' | 'direct16' | 'connections16', RunResult[]> = {
      direct1: [],
      proxy1: [],
      relay1: [],
      nodeRelay1: [],
      proxy16: [],
      direct16: [],
      connections16: [],
    };
    // The proxy process's own time during its runs: CPU, and waiting for a CPU.
    const proxyTime = { single: { cpuMs: 0, waitMs: 0 }, parallel: { cpuMs: 0, waitMs: 0 }, nodeRelay: { cpuMs: 0, waitMs: 0 } };
    const timed = async (into: ProcessTimes, run: () => Promise<RunResult>, pid = child.pid!) => {
      const before = processTimes(pid);
      const result = await run();
      const spent = since(before, processTimes(pid));
      into.cpuMs += spent.cpuMs;
      into.waitMs += spent.waitMs;
      return result;
    };
    for (let round = 0; round < PLAN.rounds; round++) {
      results.direct1.push(await runLanes([direct], 1, PLAN.single));
      results.proxy1.push(await timed(proxyTime.single, () => runLanes([viaProxy], 1, PLAN.single)));
      if (viaRelay) results.relay1.push(await runLanes([viaRelay], 1, PLAN.single));
      results.nodeRelay1.push(await timed(proxyTime.nodeRelay, () => runLanes([viaNodeRelay], 1, PLAN.single), nodeRelay.child.pid!));
      results.proxy16.push(await timed(proxyTime.parallel, () => runLanes(parallel, 1, PLAN.parallelPerLane)));
      results.direct16.push(await runLanes([direct], PARALLEL, PLAN.parallelPerLane));
      results.connections16.push(await runLanes(parallelDirect, 1, PLAN.parallelPerLane));
    }
    const t = Object.fromEntries(Object.entries(results).map(([key, runs]) => [key, totals(runs)])) as Record<keyof typeof results, Totals>;
    const single = t.proxy1.rate / t.nodeRelay1.rate;
    const many = t.proxy16.rate / t.connections16.rate;
    const row = (what: string, totalsOf: Totals) => [what, num(totalsOf.rate), num(totalsOf.p50), num(totalsOf.p99)];
    const relayRow = viaRelay
      ? row('1 client, through a C relay that parses nothing (floor for any proxy)', t.relay1)
      : ['1 client, through a C relay (floor for any proxy)', `not measured: ${native?.missing ?? 'not built'}`, '', ''];
    return [
      `### Proxy: 10-register FC 3 reads through \`bifrost-gateway proxy\` to the bench responder, ${PLAN.rounds} alternating rounds after warm-up`,
      '',
      table(['Path', 'req/s', 'p50 ms', 'p99 ms'], [
        row('1 client, direct', t.direct1),
        row('1 client, through the proxy', t.proxy1),
        row('1 client, through a Node relay that parses nothing (floor for a Node proxy)', t.nodeRelay1),
        relayRow,
        row(`${PARALLEL} requests in flight on 1 direct connection`, t.direct16),
        row(`${PARALLEL} clients in parallel through the proxy (upstream maxInFlight ${PARALLEL})`, t.proxy16),
        row(`${PARALLEL} clients in parallel, each straight to the responder (no proxy: the floor for ${PARALLEL} clients)`, t.connections16),
      ]),
      '',
      table(['Goal', 'Floor (same run)', 'Measured', 'Verdict'], [
        [
          `1 client through the proxy ≥ ${GOALS.singleOfNodeRelay}× the Node relay`,
          `Node relay ${num(t.nodeRelay1.rate)} req/s (${ratio(t.nodeRelay1.rate / t.direct1.rate)} of direct)`,
          `${ratio(single)} (${num(t.proxy1.rate)} req/s, ${ratio(t.proxy1.rate / t.direct1.rate)} of direct)`,
          verdict(single >= GOALS.singleOfNodeRelay),
        ],
        [
          `${PARALLEL} clients through the proxy ≥ ${GOALS.parallelOfNoProxy}× ${PARALLEL} clients straight to the responder`,
          `${PARALLEL} straight: ${num(t.connections16.rate)} req/s (${ratio(t.connections16.rate / t.direct16.rate)} of ${PARALLEL} in flight on one connection)`,
          `${ratio(many)} (${num(t.proxy16.rate)} req/s)`,
          verdict(many >= GOALS.parallelOfNoProxy),
        ],
      ]),
      '',
      `Where a proxied request's time goes, from the proxy process's event-loop thread (/proc schedstat) during its runs: ` +
        `1 client ${perRequest(proxyTime.single, results.proxy1)} (the Node relay: ${perRequest(proxyTime.nodeRelay, results.nodeRelay1)}); ` +
        `${PARALLEL} clients ${perRequest(proxyTime.parallel, results.proxy16)}.`,
    ];
  } finally {
    for (const socket of all) socket.close();
    relay?.stop();
    stopChild(nodeRelay.child);
    stopChild(child);
  }
}

/** "12 µs of CPU and 30 µs waiting for a CPU per request". */
export function perRequest(time: ProcessTimes, runs: readonly RunResult[]): string {
  const count = runs.reduce((sum, run) => sum + run.latenciesMs.length, 0);
  return `${num((time.cpuMs * 1000) / count)} µs of CPU and ${num((time.waitMs * 1000) / count)} µs waiting for a CPU per request`;
}

function totals(runs: readonly RunResult[]): Totals {
  const latencies = runs.flatMap((run) => run.latenciesMs).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.latenciesMs.length / run.rate, 0);
  return { rate: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/**
 * The proxy against a device-like responder: every reply held 1 ms, as a PLC's scan
 * cycle holds it (real devices take 1–20 ms). This tests the premise behind the proxy
 * goal, "the hop costs no more than the device's own round trip", where the loopback
 * rows above mostly measure process wake-ups. One client direct against one through a
 * proxy (its own process), alternating rounds.
 */
import { startChild, stopChild } from './children';
import { builtPrograms } from './programs';
import { connectPipelining, runLanes, type RunResult } from './proxyClients';
import { num, table, verdict } from './report';
import { startDeviceLikeServer } from './servers';
import { processTimes, since } from './procStats';
import { perRequest } from './proxySection';
import { percentile } from './stats';

const TURNAROUND_MS = 1;
const PLAN = { warmup: 200, rounds: 4, perRound: 300 };
const TAIL_GOAL_MS = 0.5;

export async function proxyTurnaroundLines(): Promise<string[]> {
  const device = await startDeviceLikeServer(TURNAROUND_MS);
  const { child, match } = await startChild(
    process.execPath,
    [builtPrograms().gatewayJs, 'proxy', '--listen', '127.0.0.1:0', '--upstream', `tcp://127.0.0.1:${device.port}`],
    /listening on 127\.0\.0\.1:(\d+)/,
  );
  const direct = await connectPipelining(device.port);
  const viaProxy = await connectPipelining(Number(match[1]));
  try {
    await runLanes([direct], 1, PLAN.warmup);
    await runLanes([viaProxy], 1, PLAN.warmup);
    const runs = { direct: [] as RunResult[], proxy: [] as RunResult[] };
    const proxyTime = { cpuMs: 0, waitMs: 0 };
    for (let round = 0; round < PLAN.rounds; round++) {
      runs.direct.push(await runLanes([direct], 1, PLAN.perRound));
      const before = processTimes(child.pid!);
      runs.proxy.push(await runLanes([viaProxy], 1, PLAN.perRound));
      const spent = since(before, processTimes(child.pid!));
      proxyTime.cpuMs += spent.cpuMs;
      proxyTime.waitMs += spent.waitMs;
    }
    const summary = (results: RunResult[]) => {
      const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
      const seconds = results.reduce((sum, r) => sum + r.latenciesMs.length / r.rate, 0);
      return { rate: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
    };
    const d = summary(runs.direct);
    const p = summary(runs.proxy);
    const hopMs = p.p50 - d.p50;
    const tailMs = p.p99 - d.p99;
    return [
      `#### The same through a device-like responder (each reply held ${TURNAROUND_MS} ms), ${PLAN.rounds} alternating rounds of ${PLAN.perRound}`,
      '',
      table(['Path', 'req/s', 'p50 ms', 'p99 ms'], [
        ['1 client, direct', num(d.rate), num(d.p50), num(d.p99)],
        ['1 client, through the proxy', num(p.rate), num(p.p50), num(p.p99)],
      ]),
      '',
      table(['Goal', 'Floor (same run)', 'Measured', 'Verdict'], [
        [
          `proxied p99 ≤ direct p99 + ${TAIL_GOAL_MS} ms`,
          `direct p99 ${num(d.p99)} ms`,
          `proxied p99 ${num(p.p99)} ms (+${num(tailMs)} ms; p50 +${num(hopMs * 1000)} µs)`,
          verdict(tailMs <= TAIL_GOAL_MS),
        ],
      ]),
      '',
      `The proxy process during these rounds: ${perRequest(proxyTime, runs.proxy)}.`,
    ];
  } finally {
    direct.close();
    viaProxy.close();
    stopChild(child);
    device.stop();
  }
}

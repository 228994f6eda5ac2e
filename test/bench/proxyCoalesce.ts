/**
 * Identical reads at once: sixteen clients reading the same block through a proxy
 * in front of a device-like responder (each reply held 1 ms, one request at a time,
 * as most PLCs serve), with and without `--coalesce`. Coalescing answers every
 * identical read in flight from one device request; the device's own count of what
 * it served says how many reached it.
 */
import { startChild, stopChild } from './children';
import { builtPrograms } from './programs';
import { connectPipelining, runLanes, type PipeliningSocket, type RunResult } from './proxyClients';
import { num, ratio, table, verdict } from './report';
import { startDeviceLikeServer } from './servers';

const CLIENTS = 16;
const TURNAROUND_MS = 1;
const PLAN = { warmup: 20, rounds: 2, perLane: 60 };
const GOALS = { deviceShare: 0.25, rateGain: 3 };

export async function coalesceLines(): Promise<string[]> {
  const device = await startDeviceLikeServer(TURNAROUND_MS);
  const start = (extra: string[]) =>
    startChild(process.execPath, [builtPrograms().gatewayJs, 'proxy', '--listen', '127.0.0.1:0', '--upstream', `tcp://127.0.0.1:${device.port}`, ...extra], /listening on 127\.0\.0\.1:(\d+)/);
  const plain = await start([]);
  const coalescing = await start(['--coalesce']);
  const sockets: PipeliningSocket[] = [];
  const connect = async (port: number) => {
    const made = await Promise.all(Array.from({ length: CLIENTS }, () => connectPipelining(port)));
    sockets.push(...made);
    return made;
  };
  try {
    const plainClients = await connect(Number(plain.match[1]));
    const coalescingClients = await connect(Number(coalescing.match[1]));
    await runLanes(plainClients, 1, PLAN.warmup);
    await runLanes(coalescingClients, 1, PLAN.warmup);
    const runs = { plain: [] as RunResult[], coalescing: [] as RunResult[] };
    const reached = { plain: 0, coalescing: 0 };
    for (let round = 0; round < PLAN.rounds; round++) {
      for (const [key, clients] of [['plain', plainClients], ['coalescing', coalescingClients]] as const) {
        const before = await device.served!();
        runs[key].push(await runLanes(clients, 1, PLAN.perLane));
        reached[key] += (await device.served!()) - before;
      }
    }
    const asked = PLAN.rounds * PLAN.perLane * CLIENTS;
    const perClient = (results: RunResult[]) => results.reduce((sum, r) => sum + r.rate, 0) / results.length / CLIENTS;
    const plainRate = perClient(runs.plain);
    const coalescedRate = perClient(runs.coalescing);
    const share = reached.coalescing / asked;
    return [
      `#### Identical reads at once: ${CLIENTS} clients reading the same 10 registers through a device-like responder (${TURNAROUND_MS} ms, one request at a time), ${PLAN.rounds} alternating rounds of ${PLAN.perLane} per client`,
      '',
      table(['Proxy', 'req/s per client', 'requests that reached the device'], [
        ['without --coalesce', num(plainRate), `${reached.plain} of ${asked}`],
        ['with --coalesce', num(coalescedRate), `${reached.coalescing} of ${asked}`],
      ]),
      '',
      table(['Goal', 'Floor (same run)', 'Measured', 'Verdict'], [
        [`the device sees ≤ ${GOALS.deviceShare} of the reads`, `${reached.plain} of ${asked} without coalescing`, ratio(share), verdict(share <= GOALS.deviceShare)],
        [`each client's rate ≥ ${GOALS.rateGain}× without coalescing`, `${num(plainRate)} req/s per client`, ratio(coalescedRate / plainRate), verdict(coalescedRate / plainRate >= GOALS.rateGain)],
      ]),
    ];
  } finally {
    for (const socket of sockets) socket.close();
    stopChild(plain.child);
    stopChild(coalescing.child);
    device.stop();
  }
}

/**
 * One client's flood: 100,000 pipelined reads (1.2 MB in one write) from a client
 * that never reads its replies, while a well-behaved client polls through the same
 * proxy. What the polite client sees (its p99) and what the flood costs the proxy
 * in memory (RSS growth), beside the same client's p99 with no flood.
 */
import net from 'node:net';
import { startChild, stopChild } from './children';
import { rssMb } from './procStats';
import { builtPrograms } from './programs';
import { connectPipelining, runLanes } from './proxyClients';
import { num, table, verdict } from './report';
import type { BenchServer } from './servers';
import { percentile } from './stats';

const FLOOD_REQUESTS = 100_000;
const POLITE_READS = 2000;
const GOALS = { p99Ms: 50, rssGrowthMb: 50 };

export async function floodLines(fast: BenchServer): Promise<string[]> {
  const { child, match } = await startChild(
    process.execPath,
    [builtPrograms().gatewayJs, 'proxy', '--listen', '127.0.0.1:0', '--upstream', `tcp://127.0.0.1:${fast.port}`, '--max-in-flight', '8'],
    /listening on 127\.0\.0\.1:(\d+)/,
  );
  const port = Number(match[1]);
  const polite = await connectPipelining(port);
  let flooder: net.Socket | undefined;
  try {
    await runLanes([polite], 1, 500);
    const quiet = await runLanes([polite], 1, POLITE_READS);
    const before = rssMb(child.pid!);
    flooder = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      flooder!.once('connect', resolve);
      flooder!.once('error', reject);
    });
    flooder.on('error', () => {});
    flooder.pause(); // never reads a reply
    const frames = Buffer.alloc(FLOOD_REQUESTS * 12);
    for (let i = 0; i < FLOOD_REQUESTS; i++) frames.set([(i >> 8) & 0xff, i & 0xff, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1], i * 12);
    flooder.write(frames);
    const during = await runLanes([polite], 1, POLITE_READS);
    const grown = rssMb(child.pid!) - before;
    const p99 = (latencies: number[]) => percentile([...latencies].sort((a, b) => a - b), 0.99);
    return [
      `#### One client's flood: ${num(FLOOD_REQUESTS)} pipelined reads (${num((FLOOD_REQUESTS * 12) / 1e6)} MB) it never reads back, while another client polls ${POLITE_READS} reads`,
      '',
      table(['Goal', 'Floor (same run)', 'Measured', 'Verdict'], [
        [`the polite client's p99 < ${GOALS.p99Ms} ms during the flood`, `${num(p99(quiet.latenciesMs))} ms without the flood`, `${num(p99(during.latenciesMs))} ms`, verdict(p99(during.latenciesMs) < GOALS.p99Ms)],
        [`the proxy's RSS grows < ${GOALS.rssGrowthMb} MB`, `${num(before)} MB before`, `+${num(grown)} MB`, verdict(grown < GOALS.rssGrowthMb)],
      ]),
    ];
  } finally {
    flooder?.destroy();
    polite.close();
    stopChild(child);
  }
}

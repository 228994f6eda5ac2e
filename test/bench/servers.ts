/** The TCP servers both clients are measured against, each in its own process (its own core). */
import type { ChildProcess } from 'node:child_process';
import { startNodeChild, stopChild } from './children';
import { builtPrograms } from './programs';

export interface BenchServer {
  name: string;
  port: number;
  stop(): void;
  /** The requests the bench responder has answered so far. */
  served?(): Promise<number>;
}

/** Ask a bench responder child how many requests it has answered ("count" → "served N"). */
function servedCounter(child: ChildProcess): () => Promise<number> {
  return () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bench responder did not say how many it served')), 5000);
      const look = (chunk: Buffer) => {
        const match = /served (\d+)/.exec(chunk.toString());
        if (!match) return;
        clearTimeout(timer);
        child.stdout?.off('data', look);
        resolve(Number(match[1]));
      };
      child.stdout?.on('data', look);
      child.stdin?.write('count\n');
    });
}

export async function startFastServer(): Promise<BenchServer> {
  const { child, match } = await startNodeChild(builtPrograms().fastServerJs, [], /listening (\d+)/);
  return { name: 'bench responder', port: Number(match[1]), stop: () => stopChild(child) };
}

/** The same responder holding each reply `turnaroundMs`, as a device's scan cycle does. */
export async function startDeviceLikeServer(turnaroundMs: number): Promise<BenchServer> {
  const { child, match } = await startNodeChild(builtPrograms().fastServerJs, ['--turnaround-ms', String(turnaroundMs)], /listening (\d+)/);
  return { name: `responder with ${turnaroundMs} ms turnaround`, port: Number(match[1]), stop: () => stopChild(child), served: servedCounter(child) };
}

/** The gateway's simulator: `bifrost-gateway simulate --listen 127.0.0.1:0`. */
export async function startSimulatorServer(): Promise<BenchServer> {
  const { child, match } = await startNodeChild(builtPrograms().gatewayJs, ['simulate', '--listen', '127.0.0.1:0'], /listening on [^\s]+:(\d+)/);
  return { name: 'Bifrost simulator', port: Number(match[1]), stop: () => stopChild(child) };
}

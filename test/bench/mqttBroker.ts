/** A mosquitto of the bench's own: a temp config on a free loopback port, no persistence, never the system service. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startChild, stopChild } from './children';

export interface BenchBroker {
  url: string;
  pid: number;
  stop(): void;
}

export async function startBroker(): Promise<BenchBroker> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-bench-mosquitto-'));
  const config = path.join(dir, 'mosquitto.conf');
  // max_queued_messages: a subscriber that reads 10,000 messages a second must not see them dropped by the broker's default 1,000 queue.
  fs.writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'max_queued_messages 0', 'max_inflight_messages 0', ''].join('\n'));
  const { child } = await startChild('/usr/sbin/mosquitto', ['-c', config], /Opening ipv4 listen socket on port/, 10_000);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => {
      stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

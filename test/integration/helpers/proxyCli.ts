/** `bifrost-gateway proxy` and `run` as child processes, with the port they print. */
import { start, type Child } from './childProcess';
import { GATEWAY_JS } from './tools';

export interface ProxyChild extends Child {
  port: number;
}

export async function startProxyCli(upstream: string, extra: string[] = []): Promise<ProxyChild> {
  const child = start(process.execPath, [GATEWAY_JS, 'proxy', '--listen', '127.0.0.1:0', '--upstream', upstream, ...extra]);
  const match = await child.waitForStdout(/listening on 127\.0\.0\.1:(\d+)/);
  return Object.assign(child, { port: Number(match[1]) });
}

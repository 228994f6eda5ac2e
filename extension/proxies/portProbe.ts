/**
 * Whether a new proxy could listen where the user asks, checked while they type the
 * port: a throwaway server binds host:port and closes again. The gateway is a child
 * of this extension host, on the same machine and as the same user, so what binds
 * here binds there (until someone else takes the port in between: starting still
 * reports that, naming the port). The wording is the gateway's own
 * (describeListenFailure), so the input box and a failed start read the same.
 * No vscode, so it is unit-tested.
 */
import * as net from 'node:net';
import type { ProxyInfo } from '../../gateway/api';
import { describeListenFailure } from '../../gateway/api/listenFailure';
import { formatListen } from './proxyFormat';
import { isWildcardHost } from './proxyModel';

/** Why host:port cannot be listened on ("port 5020 on 127.0.0.1 is already in use"), or undefined if it can. */
export function listenProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(describeListenFailure(error.code, host, port) ?? `cannot listen on ${host}:${port}: ${error.message}`);
    });
    server.listen({ host, port }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * The first port from `from` up that is not in `taken` and can be listened on at
 * `host`; `from` itself if none of the next `tries` ports can (the input box then
 * says why).
 */
export async function firstListenablePort(host: string, from: number, taken: ReadonlySet<number>, tries = 50): Promise<number> {
  for (let port = from; port < from + tries && port <= 65535; port++) {
    if (!taken.has(port) && (await listenProblem(host, port)) === undefined) return port;
  }
  return from;
}

/** Two listen addresses collide on one port when they are the same, or either is every interface. */
function sameListener(a: string, b: string): boolean {
  return a === b || isWildcardHost(a) || isWildcardHost(b);
}

/**
 * Why `value` is not a port a new proxy on `host` can take: not a number, outside
 * 1–65535 (0, "any free port", is for the file: a client needs to know the port),
 * a proxy already defined there, or the port busy ("port 5020 on 127.0.0.1 is
 * already in use") — each naming the port.
 */
export async function newProxyPortProblem(value: string, host: string, known: readonly ProxyInfo[]): Promise<string | undefined> {
  if (!/^\d+$/.test(value)) return 'enter a whole number from 1 to 65535';
  const port = Number(value);
  if (port < 1 || port > 65535) return `port ${value} is outside 1–65535`;
  const clash = known.find((proxy) => proxy.listen.port === port && sameListener(proxy.listen.host, host));
  if (clash) return `proxy "${clash.name}" is already defined on ${formatListen(clash.listen)}`;
  return listenProblem(host, port);
}

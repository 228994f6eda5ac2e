/** Errors of proxies, worded with the proxy, its device and its address. */
import { describeListenFailure } from '../api/listenFailure';

export class UnknownProxyError extends Error {
  constructor(readonly proxy: string, known: readonly string[]) {
    const list = known.length === 0 ? 'the applied config defines no proxies' : `defined: ${known.map((name) => `"${name}"`).join(', ')}`;
    super(`no proxy named "${proxy}" (${list})`);
    this.name = 'UnknownProxyError';
  }
}

/** The listening socket could not be opened; the message names host:port and why. */
export class ProxyListenError extends Error {
  constructor(
    readonly proxy: string,
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`proxy "${proxy}" cannot listen on ${host}:${port}: ${describeListenFailure(code, host, port) ?? detail}`);
    this.name = 'ProxyListenError';
  }
}

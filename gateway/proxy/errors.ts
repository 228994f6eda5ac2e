/** Errors of proxies, worded with the proxy, its device and its address. */

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
    super(`proxy "${proxy}" cannot listen on ${host}:${port}: ${describeCode(code, host, port) ?? detail}`);
    this.name = 'ProxyListenError';
  }
}

function describeCode(code: string | undefined, host: string, port: number): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use`;
    case 'EACCES':
      return `no permission to use port ${port} (ports below 1024 need privileges)`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host "${host}"`;
    default:
      return undefined;
  }
}

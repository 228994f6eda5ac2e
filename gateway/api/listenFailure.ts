/**
 * Why a server could not bind, in words: "port 15502 on 127.0.0.1 is already in use".
 * Every listener the gateway opens (channel, simulator, proxies, metrics) and the
 * extension's check of a proxy's port while it is typed say it with these sentences,
 * so a user reads the same words whichever one hit the busy port. Part of the
 * contract and pure (an errno code in, a sentence out), so any side may import it.
 */

/** The sentence for a known errno code, or undefined to let the caller show the raw text. */
export function describeListenFailure(code: string | undefined, host: string, port: number): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${host} (ports below 1024 need privileges)`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host "${host}"`;
    default:
      return undefined;
  }
}

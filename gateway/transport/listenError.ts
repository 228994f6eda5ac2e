/**
 * Why a server could not bind, in words: "port 15502 on 127.0.0.1 is already in use".
 * Shared by every listener the gateway opens (channel, simulator, proxies), so a user
 * reads the same sentence whichever one hit the busy port.
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

export function describeListenError(error: Error, host: string, port: number): string {
  return (
    describeListenFailure((error as NodeJS.ErrnoException).code, host, port) ??
    `cannot listen on ${host}:${port}: ${error.message}`
  );
}

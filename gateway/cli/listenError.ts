/** Why a server could not bind, in words: "port 15502 on 127.0.0.1 is already in use". */

export function describeListenError(error: Error, host: string, port: number): string {
  switch ((error as NodeJS.ErrnoException).code) {
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
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

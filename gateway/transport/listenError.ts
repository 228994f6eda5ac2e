/**
 * A failed listen() as one line for the log and the CLI: the contract's sentence for
 * a known errno code (api/listenFailure.ts), else the socket's own message with
 * host:port.
 */
import { describeListenFailure } from '../api/listenFailure';

export function describeListenError(error: Error, host: string, port: number): string {
  return (
    describeListenFailure((error as NodeJS.ErrnoException).code, host, port) ??
    `cannot listen on ${host}:${port}: ${error.message}`
  );
}

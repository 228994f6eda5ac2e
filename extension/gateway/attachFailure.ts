/**
 * What Attach Gateway… says when the gateway cannot be attached: what went wrong and what
 * to do about it, since nothing was remembered and the user has to attach again.
 * No vscode import: unit-tested in Node.
 */
import { errorMessage } from '../util/logger';
import { GatewayUnreachableError } from './certificatePin';
import { ChannelConnectError } from './channelClient';

export function attachFailure(host: string, error: unknown): string {
  const said = `cannot attach ${host}: ${errorMessage(error)}`;
  const code = error instanceof ChannelConnectError ? error.code : undefined;
  if (code === 'HTTP_401') return `${said}. Nothing was saved: attach again with the token the gateway reads from its --token-file (or BIFROST_TOKEN).`;
  if (error instanceof GatewayUnreachableError || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return `${said}. Nothing was saved: check the host and port against the line the gateway prints when it starts ("channel on wss://…"), and that it runs with --serve.`;
  }
  return said;
}

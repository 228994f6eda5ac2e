/**
 * Who may open the channel, beyond the token: only a client that addresses the
 * gateway by a name it answers to, and no web page. A browser tab can reach
 * 127.0.0.1 too: through DNS rebinding (evil.example resolving to 127.0.0.1, so
 * the Host header says evil.example) or by opening a WebSocket straight to the
 * port (the browser then sends the page's Origin). The extension host and the CLI
 * send no Origin and address 127.0.0.1, localhost or [::1].
 *
 * Over TLS the Host check is not needed and would be wrong: a rebound name fails
 * the certificate check in the browser before any upgrade is sent, while a real
 * client may address the gateway by any name its certificate carries, or through a
 * tunnel or port forward (Host "localhost:9000"). A web page is still refused by
 * its Origin.
 */
import net from 'node:net';

export interface ChannelAddress {
  /** The host the channel was told to bind: "127.0.0.1", "::1", "0.0.0.0", a name. */
  host: string;
  /** The port it is bound to. */
  port: number;
  /** The channel is wss:// (its own certificate proves the name, so Host is not checked). */
  tls?: boolean;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** Why an upgrade with these headers is refused, in words for the log; undefined when it is let in. */
export function refusedUpgrade(headers: { host?: string; origin?: string }, address: ChannelAddress): string | undefined {
  if (address.tls) {
    return headers.origin === undefined ? undefined : `a web page (Origin ${headers.origin}) may not drive the gateway`;
  }
  const host = headers.host?.toLowerCase();
  if (host === undefined || !hostAllowed(host, address)) {
    return `Host header ${host === undefined ? '(none)' : `"${host}"`} is not this gateway's address (expected 127.0.0.1:${address.port}, localhost:${address.port} or [::1]:${address.port}): a web page reaching it through DNS rebinding?`;
  }
  // Browsers always send Origin on a WebSocket; our own clients never do. "null" is a sandboxed page.
  const origin = headers.origin;
  if (origin !== undefined && !originAllowed(origin, address)) {
    return `a web page (Origin ${origin}) may not drive the gateway`;
  }
  return undefined;
}

function hostAllowed(host: string, address: ChannelAddress): boolean {
  const separator = host.lastIndexOf(':');
  if (separator <= 0 || host.endsWith(']')) return false;
  const name = host.slice(0, separator);
  if (host.slice(separator + 1) !== String(address.port)) return false;
  if (LOOPBACK_NAMES.includes(name)) return true;
  const configured = address.host.toLowerCase();
  if (name === configured || name === `[${configured}]`) return true;
  // Bound to every interface: any address of this machine, as a literal (a DNS name could be rebound).
  return WILDCARDS.has(configured) && net.isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

function originAllowed(origin: string, address: ChannelAddress): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'ws:') && hostAllowed(url.host.toLowerCase(), address) && url.port !== '';
}

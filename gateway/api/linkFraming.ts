/**
 * What a captured frame's link says about it: how its bytes are framed (from the
 * scheme) and whether it is a request. No zod here: the webviews import it, and a
 * bundle should not carry the schema library for a few functions.
 */
import type { Framing } from './frames';

const PROXY_SCHEME = 'proxy:';

/** "proxy://NAME/CLIENT": a proxy's side facing one of its clients (Modbus/TCP, the gateway serving). */
export function isProxyLink(link: string): boolean {
  return link.startsWith(PROXY_SCHEME);
}

/** "proxy://plc/127.0.0.1:50412" → "127.0.0.1:50412"; undefined for any other link. */
export function proxyClientAddress(link: string): string | undefined {
  if (!isProxyLink(link)) return undefined;
  const slash = link.indexOf('/', PROXY_SCHEME.length + 2);
  return slash < 0 ? undefined : link.slice(slash + 1);
}

/**
 * "tcp://…" and a proxy's client link ("proxy://…") are Modbus/TCP, "ascii://…"
 * ASCII, anything else ("rtu://…", "rtutcp://…", a bare port path) RTU.
 */
export function linkFraming(link: string): Framing {
  if (link.startsWith('tcp:') || isProxyLink(link)) return 'tcp';
  if (link.startsWith('ascii:')) return 'ascii';
  return 'rtu';
}

/** The gateway sends requests to its devices (tx) and receives them from a proxy's clients (rx). */
export function isRequestFrame(frame: { link: string; direction: 'tx' | 'rx' }): boolean {
  return isProxyLink(frame.link) ? frame.direction === 'rx' : frame.direction === 'tx';
}

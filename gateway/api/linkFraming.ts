/**
 * How a link frames its bytes, from its name's scheme. No zod here: the webviews
 * import it, and a bundle should not carry the schema library for one function.
 */
import type { Framing } from './frames';

/** "tcp://…" is Modbus/TCP, "ascii://…" ASCII, anything else ("rtu://…", "rtutcp://…", a bare port path) RTU. */
export function linkFraming(link: string): Framing {
  if (link.startsWith('tcp:')) return 'tcp';
  if (link.startsWith('ascii:')) return 'ascii';
  return 'rtu';
}

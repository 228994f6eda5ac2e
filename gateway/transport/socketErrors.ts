/** Socket errors in words a user acts on, instead of bare errno codes. */

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ECONNRESET: 'connection reset by the device',
  EPIPE: 'connection closed by the device',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  EADDRNOTAVAIL: 'address not available',
};

export function describeSocketError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const described = code ? DESCRIPTIONS[code] : undefined;
  return described ? `${described} [${code}]` : error.message;
}

/** The counters a proxy keeps for itself and for each client (api/proxies.ts ProxyCounters). */
import type { ProxyCounters } from '../api/proxies';

export function emptyCounters(): ProxyCounters {
  return { requests: 0, errors: 0, exceptions: 0, bytesIn: 0, bytesOut: 0, busy: 0 };
}

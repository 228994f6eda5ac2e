/** ProxyInfo and ProxyClientInfo as the gateway reports them, all counters at zero unless a test says otherwise. */
import type { ProxyClientInfo, ProxyInfo } from '../../../gateway/api';

const counters = { requests: 0, errors: 0, exceptions: 0, bytesIn: 0, bytesOut: 0, busy: 0 };
const noLatency = { p50: null, p95: null, p99: null };

export function proxyClientInfo(address: string, over: Partial<ProxyClientInfo> = {}): ProxyClientInfo {
  return { ...counters, address, connectedSince: 1_000, pending: 0, latencyMs: noLatency, ...over };
}

/** A stopped proxy "name" for device Demo on 127.0.0.1:5020. */
export function proxyInfo(name: string, over: Partial<ProxyInfo> = {}, stats: Partial<ProxyInfo['stats']> = {}): ProxyInfo {
  return {
    name,
    device: 'Demo',
    state: 'stopped',
    since: 1_000,
    listen: { host: '127.0.0.1', port: 5020 },
    clients: [],
    stats: { ...counters, refused: 0, timeouts: 0, cacheHits: 0, rejectedClients: 0, droppedClients: 0, coalesced: 0, requestsPerSecond: 0, latencyMs: noLatency, ...stats },
    ...over,
  };
}

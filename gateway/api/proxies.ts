/**
 * Channel contract for proxies: start, stop and list the proxies `bifrost.json`
 * defines, and watch them. Spread into Methods and Events in channel.ts; must not
 * import channel.ts.
 *
 * For the VS Code side: `proxy.list` gives everything a Proxies view needs (state,
 * listen address, clients, stats); `proxy.status` arrives on every state change and
 * `proxy.stats` about once a second while any proxy runs, each a whole ProxyInfo,
 * so a view can replace its item instead of merging.
 */
import { z } from 'zod';

export const ProxyState = z.enum(['stopped', 'starting', 'running', 'error']);
export type ProxyState = z.infer<typeof ProxyState>;

/** Latency in milliseconds; null before the first answered request. */
export const LatencyPercentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });
export type LatencyPercentiles = z.infer<typeof LatencyPercentiles>;

export const ProxyCounters = z.object({
  /** Requests received from clients (whole MBAP frames). */
  requests: z.number().int(),
  /** Requests the proxy could not get a device reply for: timeouts (0x0B), no path (0x0A), bad frames. */
  errors: z.number().int(),
  /** Exception responses sent to clients, from the device or the proxy itself. */
  exceptions: z.number().int(),
  bytesIn: z.number().int(),
  bytesOut: z.number().int(),
  /** Requests answered with exception 06 (server busy): the client already had maxQueued waiting. */
  busy: z.number().int(),
});
export type ProxyCounters = z.infer<typeof ProxyCounters>;

export const ProxyClientInfo = ProxyCounters.extend({
  /** "127.0.0.1:50412". */
  address: z.string(),
  /** Epoch ms. */
  connectedSince: z.number(),
  /** Requests waiting for or at the device now. */
  pending: z.number().int(),
  /** Receipt to reply, over this client's most recent requests. */
  latencyMs: LatencyPercentiles,
});
export type ProxyClientInfo = z.infer<typeof ProxyClientInfo>;

export const ProxyStats = ProxyCounters.extend({
  /** Requests refused by the function-code filter (exception 01). */
  refused: z.number().int(),
  /** Requests past their time budget (exception 0x0B). */
  timeouts: z.number().int(),
  /** Reads answered from the cache. */
  cacheHits: z.number().int(),
  /** Connections refused by the allow-list or maxClients. */
  rejectedClients: z.number().int(),
  /** Clients the proxy closed: idle too long, a frame left half-sent, replies left unread, or made room for a new client. */
  droppedClients: z.number().int(),
  /** Reads answered from an identical read already at the device (coalesceReads). */
  coalesced: z.number().int(),
  /** Over the last stats interval (about a second). */
  requestsPerSecond: z.number(),
  /** Receipt to reply, over the most recent requests. */
  latencyMs: LatencyPercentiles,
});
export type ProxyStats = z.infer<typeof ProxyStats>;

export const ProxyInfo = z.object({
  name: z.string(),
  /** The upstream device's name. */
  device: z.string(),
  state: ProxyState,
  /** Epoch ms of the last state change. */
  since: z.number(),
  /** Where it listens: the bound port while running (a configured 0 becomes the real port), else as configured. */
  listen: z.object({ host: z.string(), port: z.number().int() }),
  /** Why it is in "error": "port 5020 on 127.0.0.1 is already in use". */
  lastError: z.string().optional(),
  clients: z.array(ProxyClientInfo),
  stats: ProxyStats,
});
export type ProxyInfo = z.infer<typeof ProxyInfo>;

const ProxyRef = z.object({ name: z.string().min(1) }).strict();

export const ProxyMethods = {
  /** Start a proxy the applied config defines; resolves once it listens (or fails naming host:port). */
  'proxy.start': { params: ProxyRef, result: ProxyInfo },
  /** Stop one proxy: it stops listening and drops its clients. */
  'proxy.stop': { params: ProxyRef, result: ProxyInfo },
  'proxy.stopAll': { params: z.object({}).strict(), result: z.object({ stopped: z.number().int() }) },
  /** Every proxy the applied config defines, running or not. */
  'proxy.list': { params: z.object({}).strict(), result: z.object({ proxies: z.array(ProxyInfo) }) },
} as const;

export const ProxyEvents = {
  /** A proxy changed state (started, stopped, failed). */
  'proxy.status': ProxyInfo,
  /** Throttled to about one a second while a proxy runs: every running proxy's clients and stats. */
  'proxy.stats': z.object({ proxies: z.array(ProxyInfo) }),
} as const;

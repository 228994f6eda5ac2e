/**
 * A proxy in `bifrost.json`: a Modbus TCP server that many clients share, forwarding
 * to ONE configured device through the gateway's session for it (the device's
 * maxInFlight on TCP, the bus queue on serial). Kept apart from config.ts so the
 * proxy's channel contract (proxies.ts) can use it without importing the whole file.
 *
 * Unit ids: the client's unit id goes upstream unchanged ("passThrough", what
 * modbus-proxy and mbusd do), unless `unitMap` names it. `unmappedUnits: "device"`
 * sends every unmapped unit id to the device's own `unitId` instead, and
 * `"reject"` answers them with exception 0x0A (gateway path unavailable). The reply
 * always carries the unit id the client asked.
 */
import { z } from 'zod';
import { hostName } from './hostName';
import { intIn } from './plainIssues';

/**
 * Function codes of the "read-only" preset: reads, diagnostics and identification, no
 * writes. FC 8 and 43 pass only with the sub-functions that read (proxy/readOnly.ts).
 */
export const READ_ONLY_FUNCTION_CODES = [1, 2, 3, 4, 7, 8, 11, 17, 43] as const;

export const DEFAULT_PROXY_HOST = '127.0.0.1';
/** mbusd's default (-C 32). */
export const DEFAULT_PROXY_MAX_CLIENTS = 32;
export const DEFAULT_PROXY_REQUEST_TIMEOUT_MS = 5000;
/** A client that sends nothing for this long is closed (mbusd's -T default is 60 s too). */
export const DEFAULT_PROXY_IDLE_TIMEOUT_MS = 60_000;
/** Requests one client may have waiting in the proxy's queue; more are answered with exception 06 (busy). */
export const DEFAULT_PROXY_MAX_QUEUED = 64;

const ProxyName = z
  .string()
  .min(1, 'a name cannot be empty')
  .max(64, 'a name is at most 64 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_. -]*$/, 'use letters, digits, space, "_", "-" or "."');

const UnitId = z.number().int().min(0).max(255);

/** "10.0.0.5", "::1", "192.168.1.0/24", "fd00::/8". */
export const ClientAddressRule = z.string().superRefine((text, ctx) => {
  const problem = addressRuleProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** 4, 6, or 0 for neither. Pure (no node:net): webviews import this contract too. */
export function ipFamily(text: string): 4 | 6 | 0 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return 4;
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return 0;
  const halves = text.split('::');
  if (halves.length > 2) return 0;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  const last = groups.at(-1) ?? '';
  // An embedded IPv4 address (::ffff:10.0.0.1) counts as two groups.
  const embedded = last.includes('.') ? (ipFamily(last) === 4 ? 1 : -100) : 0;
  const hexGroups = embedded ? groups.slice(0, -1) : groups;
  if (embedded < 0 || !hexGroups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return 0;
  const count = hexGroups.length + embedded * 2;
  return (halves.length === 2 ? count < 8 : count === 8) ? 6 : 0;
}

export function addressRuleProblem(text: string): string | undefined {
  const [address, prefix, extra] = text.split('/');
  const family = ipFamily(address);
  if (family === 0 || extra !== undefined) return `"${text}" is not an IP address or a CIDR range like 192.168.1.0/24`;
  if (prefix === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || Number(prefix) > bits) return `"${text}": the prefix length must be 0..${bits}`;
  return undefined;
}

export const AllowedFunctions = z
  .union([
    z.literal('all'),
    z
      .literal('read-only')
      .describe(`Function codes ${READ_ONLY_FUNCTION_CODES.join(', ')}, FC 8 with the sub-functions that read only (0x0000, 0x0002, 0x000B–0x0012), FC 43 with MEI 14 only: nothing that changes the device`),
    z.array(z.number().int().min(1).max(127)).min(1),
  ])
  .default('all');
export type AllowedFunctions = z.infer<typeof AllowedFunctions>;

export const ProxyDefinition = z
  .object({
    name: ProxyName,
    listen: z
      .object({
        host: hostName().default(DEFAULT_PROXY_HOST).describe('Address to bind; 127.0.0.1 keeps the proxy on this machine'),
        port: intIn(0, 65535).describe('TCP port clients connect to (0 picks a free one)'),
      })
      .strict(),
    device: z.string().min(1).describe('The upstream: the name of a device in "devices"'),
    unitMap: z
      .record(z.string().regex(/^\d{1,3}$/, 'a unit id key is a number 0..255'), UnitId)
      .default({})
      .describe('Client unit id → unit id sent upstream, e.g. {"1": 17}'),
    unmappedUnits: z.enum(['passThrough', 'device', 'reject']).default('passThrough'),
    allowedFunctions: AllowedFunctions.describe('"all", "read-only", or a list of function codes; others get exception 01'),
    allow: z
      .array(ClientAddressRule)
      .optional()
      .describe('Client addresses and CIDR ranges let in; once set, every other client is refused'),
    maxClients: z.number().int().min(1).max(1000).default(DEFAULT_PROXY_MAX_CLIENTS),
    requestTimeoutMs: z
      .number()
      .int()
      .min(10)
      .max(600_000)
      .default(DEFAULT_PROXY_REQUEST_TIMEOUT_MS)
      .describe('Time budget of one request, queueing included; past it the client gets exception 0x0B'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe('Extra attempts after a timeout, reads only (a write is never repeated); the client has its own retries'),
    idleTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(86_400_000)
      .default(DEFAULT_PROXY_IDLE_TIMEOUT_MS)
      .describe('A client that sends no request for this long is closed'),
    maxQueued: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(DEFAULT_PROXY_MAX_QUEUED)
      .describe('Requests one client may have queued; past it they get exception 06 (server busy)'),
    coalesceReads: z
      .boolean()
      .default(false)
      .describe('Identical reads (same unit, function, address, count) from several clients share one device request while it is in flight'),
    cache: z
      .object({ ttlMs: z.number().int().min(1).max(3_600_000).describe('How long a read reply is served from the cache') })
      .strict()
      .optional()
      .describe('Answer repeated reads (function codes 1–4) from a cache; any other request through the proxy clears it'),
    autoStart: z.boolean().default(false).describe('Start when the gateway applies the config (headless "run" starts every proxy)'),
  })
  .strict()
  .superRefine((proxy, ctx) => {
    for (const key of Object.keys(proxy.unitMap)) {
      if (Number(key) > 255) ctx.addIssue({ code: 'custom', path: ['unitMap', key], message: `unit id ${key} is outside 0..255` });
    }
  });
export type ProxyDefinition = z.infer<typeof ProxyDefinition>;
export type ProxyDefinitionInput = z.input<typeof ProxyDefinition>;

/** The function codes a definition lets through, or undefined for all. */
export function allowedFunctionSet(allowed: AllowedFunctions): ReadonlySet<number> | undefined {
  if (allowed === 'all') return undefined;
  return new Set(allowed === 'read-only' ? READ_ONLY_FUNCTION_CODES : allowed);
}

/**
 * Checks that need the whole config: the upstream device exists, names and listen
 * addresses are unique. Called from BifrostConfig's superRefine.
 */
export function checkProxies(proxies: ProxyDefinition[], deviceNames: string[], ctx: z.RefinementCtx): void {
  const names = new Map<string, number>();
  const listens = new Map<string, number>();
  proxies.forEach((proxy, index) => {
    if (!deviceNames.includes(proxy.device)) {
      const known = deviceNames.length === 0 ? 'there are no devices' : `devices: ${deviceNames.map((name) => `"${name}"`).join(', ')}`;
      ctx.addIssue({ code: 'custom', path: ['proxies', index, 'device'], message: `no device named "${proxy.device}" (${known})` });
    }
    const first = names.get(proxy.name);
    if (first === undefined) names.set(proxy.name, index);
    else ctx.addIssue({ code: 'custom', path: ['proxies', index, 'name'], message: `duplicate proxy name "${proxy.name}" (first used at proxies[${first}])` });
    if (proxy.listen.port === 0) return;
    const listen = `${proxy.listen.host}:${proxy.listen.port}`;
    const other = listens.get(listen);
    if (other === undefined) listens.set(listen, index);
    else ctx.addIssue({ code: 'custom', path: ['proxies', index, 'listen', 'port'], message: `${listen} is already the address of proxies[${other}]` });
  });
}

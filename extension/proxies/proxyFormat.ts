/**
 * How proxies read in the Proxies view, its tooltips and the status bar: plain
 * functions, no vscode, so the wording is unit-tested.
 */
import type { LatencyPercentiles, ProxyClientInfo, ProxyInfo, ProxyState } from '../../gateway/api';

export const PROXY_STATE_LABEL: Record<ProxyState, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  error: 'Error',
};

/** `127.0.0.1:5020`, `[::1]:5020`. */
export function formatListen(listen: { host: string; port: number }): string {
  return listen.host.includes(':') ? `[${listen.host}]:${listen.port}` : `${listen.host}:${listen.port}`;
}

/** `0`, `12.5`, `1.2k`: requests per second as a short number. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0';
  if (perSecond >= 10_000) return `${Math.round(perSecond / 1000)}k`;
  if (perSecond >= 1000) return `${Math.round(perSecond / 100) / 10}k`;
  if (perSecond >= 100) return String(Math.round(perSecond));
  return String(Math.round(perSecond * 10) / 10);
}

/** `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** `0.42 ms`, `12 ms`, `—` before the first answer. */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${Math.round(ms * 100) / 100} ms`;
  if (ms < 100) return `${Math.round(ms * 10) / 10} ms`;
  return `${Math.round(ms)} ms`;
}

export function formatPercentiles(latency: LatencyPercentiles): string {
  return `p50 ${formatLatency(latency.p50)} · p95 ${formatLatency(latency.p95)} · p99 ${formatLatency(latency.p99)}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The tree row's description: where it listens and, while running, clients,
 * rate and errors. `127.0.0.1:5020 · 2 clients · 12.5 req/s · 1 error`.
 */
export function describeProxy(proxy: ProxyInfo): string {
  const parts = [formatListen(proxy.listen)];
  switch (proxy.state) {
    case 'running':
      parts.push(plural(proxy.clients.length, 'client'), `${formatRate(proxy.stats.requestsPerSecond)} req/s`);
      if (proxy.stats.errors > 0) parts.push(plural(proxy.stats.errors, 'error'));
      break;
    case 'starting':
      parts.push('starting…');
      break;
    case 'error':
      parts.push(proxy.lastError ? shorten(proxy.lastError, 60) : 'error');
      break;
    case 'stopped':
      parts.push('stopped');
      break;
  }
  return parts.join(' · ');
}

/** A client row's description: `42 requests · 0 errors`, with what is pending when anything is. */
export function describeClient(client: ProxyClientInfo): string {
  const parts = [plural(client.requests, 'request'), plural(client.errors, 'error')];
  if (client.exceptions > 0) parts.push(plural(client.exceptions, 'exception'));
  if (client.pending > 0) parts.push(`${client.pending} pending`);
  return parts.join(' · ');
}

/** How long ago, for "connected 3 min ago". */
export function formatAge(ms: number): string {
  if (ms < 1000) return 'just now';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 6) / 10} h ago`;
}

/**
 * The tooltip's lines as Markdown (the caller wraps them in a MarkdownString; text
 * from the network or the user is escaped here). Stats only mean something once the
 * proxy ran, so a never-started proxy gets just its address and device.
 */
export function proxyTooltipMarkdown(proxy: ProxyInfo, now: number): string {
  const s = proxy.stats;
  const lines = [
    `**${escapeMarkdown(proxy.name)}** — ${PROXY_STATE_LABEL[proxy.state]} ${formatAge(now - proxy.since)}`,
    '',
    `Listens on \`${formatListen(proxy.listen)}\` → device **${escapeMarkdown(proxy.device)}**  `,
    `Clients: ${proxy.clients.length}`,
  ];
  if (s.requests > 0 || proxy.state === 'running') {
    lines.push(
      '',
      `Requests: ${s.requests} (${formatRate(s.requestsPerSecond)}/s)  `,
      `Latency: ${formatPercentiles(s.latencyMs)}  `,
      `Errors: ${s.errors} · timeouts: ${s.timeouts} · exceptions: ${s.exceptions}  `,
      `Refused (function code): ${s.refused} · clients rejected: ${s.rejectedClients}  `,
      `Cache hits: ${s.cacheHits}  `,
      `Bytes: ${formatBytes(s.bytesIn)} in · ${formatBytes(s.bytesOut)} out`,
    );
  }
  if (proxy.lastError) lines.push('', `$(error) ${escapeMarkdown(proxy.lastError)}`);
  return lines.join('\n');
}

export function clientTooltipMarkdown(client: ProxyClientInfo, now: number): string {
  return [
    `**${escapeMarkdown(client.address)}** — connected ${formatAge(now - client.connectedSince)}`,
    '',
    `Requests: ${client.requests} · pending: ${client.pending}  `,
    `Latency: ${formatPercentiles(client.latencyMs)}  `,
    `Errors: ${client.errors} · exceptions: ${client.exceptions}  `,
    `Bytes: ${formatBytes(client.bytesIn)} in · ${formatBytes(client.bytesOut)} out`,
  ].join('\n');
}

/** The status bar's text for `running` of `defined` proxies, or undefined to hide it (none defined). */
export function proxyStatusText(running: number, defined: number): string | undefined {
  if (defined === 0) return undefined;
  return `$(radio-tower) ${running}`;
}

export function proxyStatusTooltip(running: number, defined: number): string {
  if (running === 0) return `No Bifrost proxy is running (${plural(defined, 'proxy', 'proxies')} defined)`;
  return `${plural(running, 'Bifrost proxy', 'Bifrost proxies')} running of ${defined} defined`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Backslash-escapes Markdown's punctuation, so names and addresses show as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => `\\${c}`);
}

/**
 * What the Proxies view shows: every proxy the applied config defines, as the
 * gateway last reported it. `proxy.list` replaces the whole set; `proxy.status` and
 * `proxy.stats` carry whole ProxyInfo objects, so an update replaces its entry.
 * No vscode, so the rules are unit-tested.
 */
import type { ProxyClientInfo, ProxyInfo } from '../../gateway/api';

export class ProxyModel {
  private proxies = new Map<string, ProxyInfo>();

  /** Every proxy of the applied config, in the order the gateway lists them. */
  replace(proxies: readonly ProxyInfo[]): void {
    this.proxies = new Map(proxies.map((proxy) => [proxy.name, proxy]));
  }

  /**
   * One proxy's new state. A proxy the model does not know (a status event racing a
   * config change) is ignored: the list after the apply brings it. Answers whether
   * the proxy is known.
   */
  update(info: ProxyInfo): boolean {
    if (!this.proxies.has(info.name)) return false;
    this.proxies.set(info.name, info);
    return true;
  }

  clear(): void {
    this.proxies.clear();
  }

  get size(): number {
    return this.proxies.size;
  }

  get runningCount(): number {
    let count = 0;
    for (const proxy of this.proxies.values()) if (proxy.state === 'running') count++;
    return count;
  }

  names(): string[] {
    return [...this.proxies.keys()];
  }

  all(): ProxyInfo[] {
    return [...this.proxies.values()];
  }

  get(name: string): ProxyInfo | undefined {
    return this.proxies.get(name);
  }

  client(proxy: string, address: string): ProxyClientInfo | undefined {
    return this.proxies.get(proxy)?.clients.find((client) => client.address === address);
  }
}

/** Start makes sense for a proxy that is not listening; stop for one that is (or is trying, or failed). */
export function canStart(proxy: ProxyInfo): boolean {
  return proxy.state === 'stopped' || proxy.state === 'error';
}

export function canStop(proxy: ProxyInfo): boolean {
  return proxy.state !== 'stopped';
}

/** `bifrost.proxy.running`, …: what the inline actions' when-clauses match. */
export function proxyContextValue(proxy: ProxyInfo): string {
  return `bifrost.proxy.${proxy.state}`;
}

export const PROXY_CLIENT_CONTEXT_VALUE = 'bifrost.proxyClient';

/**
 * A listen port to suggest for a new proxy: the first from `base` up that no
 * defined proxy uses (on any host, to keep it simple to read).
 */
export function suggestPort(proxies: readonly ProxyInfo[], base = 5020): number {
  const used = new Set(proxies.map((proxy) => proxy.listen.port));
  let port = base;
  while (used.has(port) && port < 65535) port++;
  return port;
}

/** Whether a listen host reaches beyond this machine (the new-proxy flow warns then). */
export function isExposedHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '[::1]') return false;
  if (/^127\./.test(h)) return false;
  return true;
}

/** Whether the host binds every interface: 0.0.0.0 or ::. */
export function isWildcardHost(host: string): boolean {
  const h = host.trim();
  return h === '0.0.0.0' || h === '::' || h === '[::]';
}

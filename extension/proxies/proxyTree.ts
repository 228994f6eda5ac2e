/**
 * The Proxies view's data: a ProxyModel kept current from the gateway channel
 * (`proxy.list` after every config apply, `proxy.status` on state changes,
 * `proxy.stats` about once a second), and a TreeDataProvider that repaints it.
 *
 * Repaints are batched: changes are collected and flushed at most every
 * REPAINT_INTERVAL_MS as one onDidChangeTreeData event, naming only the proxies
 * that changed unless the set of proxies or of their clients changed.
 */
import * as vscode from 'vscode';
import type { ProxyInfo } from '../../gateway/api';
import type { GatewayClient } from '../gateway/gatewayConnection';
import { errorMessage, type Logger } from '../util/logger';
import { NodeCache } from '../util/nodeCache';
import { RepaintThrottle } from '../util/repaintThrottle';
import { ProxyModel } from './proxyModel';
import { proxyClientTreeItem, proxyTreeItem, type ProxiesViewNode, type ProxyClientNode, type ProxyNode } from './proxyTreeItems';

export const PROXY_REPAINT_INTERVAL_MS = 500;

export class ProxyTreeProvider implements vscode.TreeDataProvider<ProxiesViewNode>, vscode.Disposable {
  readonly model = new ProxyModel();

  private readonly changeTreeData = new vscode.EventEmitter<ProxiesViewNode | ProxiesViewNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeTreeData.event;
  /** Fires after each repaint: the status bar recounts running proxies. */
  private readonly changeProxies = new vscode.EventEmitter<void>();
  readonly onDidChangeProxies = this.changeProxies.event;

  // One object per proxy and client, reused across refreshes (the tree keys by identity).
  private readonly proxyNodes = new NodeCache<ProxyNode>();
  private readonly clientNodes = new NodeCache<ProxyClientNode>();

  private dirty = new Set<string>();
  private structureChanged = false;
  private readonly repaint = new RepaintThrottle(PROXY_REPAINT_INTERVAL_MS, () => this.flush());
  private client: GatewayClient | undefined;
  private clientSubscriptions: vscode.Disposable[] = [];

  constructor(private readonly logger: Logger) {}

  /** Follows a (new) gateway connection: its proxy events, and the list. */
  attach(client: GatewayClient): void {
    this.detach();
    this.client = client;
    this.clientSubscriptions = [
      client.onEvent('proxy.status', (info) => this.apply([info])),
      client.onEvent('proxy.stats', ({ proxies }) => this.apply(proxies)),
    ];
    void this.reload();
  }

  detach(): void {
    for (const subscription of this.clientSubscriptions) subscription.dispose();
    this.clientSubscriptions = [];
    this.client = undefined;
  }

  clear(): void {
    this.replace([]);
  }

  /** Asks the gateway for every proxy again (after a config apply: proxies come and go). */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const { proxies } = await client.request('proxy.list', {});
      if (client === this.client) this.replace(proxies);
    } catch (error) {
      this.logger.warn(`cannot list the proxies: ${errorMessage(error)}`);
    }
  }

  replace(proxies: readonly ProxyInfo[]): void {
    this.model.replace(proxies);
    this.structureChanged = true;
    this.repaint.schedule();
  }

  /** Whole ProxyInfo objects from status, stats or a command's answer. */
  apply(infos: readonly ProxyInfo[]): void {
    for (const info of infos) {
      const before = this.model.get(info.name);
      if (!this.model.update(info)) continue;
      // A client came or went, or the row gained or lost its children: repaint the subtree.
      if (!before || clientKeys(before) !== clientKeys(info)) this.structureChanged = true;
      this.dirty.add(info.name);
    }
    if (this.dirty.size > 0) this.repaint.schedule();
  }

  getTreeItem(node: ProxiesViewNode): vscode.TreeItem {
    if (node.kind === 'proxy') {
      const proxy = this.model.get(node.name);
      return proxy ? proxyTreeItem(proxy) : new vscode.TreeItem(node.name);
    }
    const client = this.model.client(node.proxy, node.address);
    return client ? proxyClientTreeItem(node.proxy, client) : new vscode.TreeItem(node.address);
  }

  getChildren(node?: ProxiesViewNode): ProxiesViewNode[] {
    if (!node) return this.model.names().map((name) => this.proxyNode(name));
    if (node.kind === 'proxyClient') return [];
    return (this.model.get(node.name)?.clients ?? []).map((client) => this.clientNode(node.name, client.address));
  }

  getParent(node: ProxiesViewNode): ProxiesViewNode | undefined {
    return node.kind === 'proxyClient' ? this.proxyNode(node.proxy) : undefined;
  }

  proxyNode(name: string): ProxyNode {
    return this.proxyNodes.get(name, () => ({ kind: 'proxy', name }));
  }

  private clientNode(proxy: string, address: string): ProxyClientNode {
    return this.clientNodes.get(`${proxy}\u0000${address}`, () => ({ kind: 'proxyClient', proxy, address }));
  }

  private flush(): void {
    if (this.structureChanged) {
      this.structureChanged = false;
      this.dirty.clear();
      this.pruneNodes();
      this.changeTreeData.fire(undefined);
    } else if (this.dirty.size > 0) {
      const nodes: ProxiesViewNode[] = [];
      for (const name of this.dirty) {
        nodes.push(this.proxyNode(name));
        for (const client of this.model.get(name)?.clients ?? []) nodes.push(this.clientNode(name, client.address));
      }
      this.dirty.clear();
      this.changeTreeData.fire(nodes);
    } else {
      return;
    }
    this.changeProxies.fire();
  }

  private pruneNodes(): void {
    this.proxyNodes.prune((node) => this.model.get(node.name) !== undefined);
    this.clientNodes.prune((node) => this.model.client(node.proxy, node.address) !== undefined);
  }

  dispose(): void {
    this.detach();
    this.repaint.dispose();
    this.changeTreeData.dispose();
    this.changeProxies.dispose();
  }
}

function clientKeys(proxy: ProxyInfo): string {
  return proxy.clients.map((client) => client.address).join('\n');
}

/**
 * A view over several gateways (the Devices and Proxies views): while the local
 * gateway is the only one, its tree is the view as it always was; once a gateway is
 * attached, every gateway is a top-level node (the local one first) with its own
 * tree underneath. Each gateway's tree is a provider of its own, following that
 * gateway's connection; its nodes carry the gateway's id (`gateway`), so this
 * provider knows whose they are, and a command on one acts on its gateway.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from '../gateway/gatewayConnection';
import type { GatewayRegistry } from '../gateway/gatewayRegistry';

/** A gateway at the top of a view once one is attached: the local one or an attached one (its id). */
export interface GatewayNode {
  readonly kind: 'gateway';
  readonly id: string;
}

/** One gateway's tree: a provider whose nodes carry `gateway` (the attached gateway's id; absent for the local one). */
export interface GatewayTree<N> extends vscode.TreeDataProvider<N>, vscode.Disposable {
  /** The attached gateway it shows; undefined for the local one. */
  readonly gateway?: string;
  readonly onDidChangeTreeData: vscode.Event<N | N[] | undefined | null | void>;
  getTreeItem(node: N): vscode.TreeItem;
  getChildren(node?: N): N[];
  getParent(node: N): N | undefined;
}

export interface GatewayGroupedTreeOptions<N, T extends GatewayTree<N>> {
  /** A tree for an attached gateway. */
  treeFor(gateway: GatewayConnection): T;
  /** The gateway's row. */
  gatewayItem(gateway: GatewayConnection, isLocal: boolean): vscode.TreeItem;
}

interface Attached<T> {
  tree: T;
  node: GatewayNode;
  subscriptions: vscode.Disposable[];
}

export class GatewayGroupedTree<N, T extends GatewayTree<N>> implements vscode.TreeDataProvider<N | GatewayNode>, vscode.Disposable {
  private readonly changeTreeData = new vscode.EventEmitter<N | GatewayNode | (N | GatewayNode)[] | undefined>();
  readonly onDidChangeTreeData = this.changeTreeData.event;
  private readonly attached = new Map<string, Attached<T>>();
  private readonly localNode: GatewayNode;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly gateways: GatewayRegistry,
    /** The local gateway's tree. */
    readonly local: T,
    private readonly options: GatewayGroupedTreeOptions<N, T>,
  ) {
    this.localNode = { kind: 'gateway', id: gateways.local.id };
    this.subscriptions = [
      local.onDidChangeTreeData((nodes) => this.changeTreeData.fire(nodes ?? undefined)),
      gateways.local.onDidChangeState(() => this.repaintGateway(this.localNode)),
      gateways.onDidAdd((gateway) => this.add(gateway)),
      gateways.onDidRemove((gateway) => this.remove(gateway.id)),
    ];
    for (const gateway of gateways.remotes()) this.add(gateway);
  }

  /** A gateway's tree: the local one's for undefined or the local id. */
  treeOf(gatewayId: string | undefined): T | undefined {
    if (gatewayId === undefined || gatewayId === this.gateways.local.id) return this.local;
    return this.attached.get(gatewayId)?.tree;
  }

  /** A gateway's top-level node (for reveal, and the tests). */
  gatewayNode(gatewayId: string): GatewayNode | undefined {
    return gatewayId === this.gateways.local.id ? this.localNode : this.attached.get(gatewayId)?.node;
  }

  getTreeItem(node: N | GatewayNode): vscode.TreeItem {
    if (isGatewayNode(node)) {
      const gateway = this.gateways.get(node.id);
      return gateway ? this.options.gatewayItem(gateway, gateway === this.gateways.local) : new vscode.TreeItem(node.id);
    }
    return this.treeOfNode(node).getTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: N | GatewayNode, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    if (isGatewayNode(node)) return item;
    const tree = this.treeOfNode(node);
    return tree.resolveTreeItem ? tree.resolveTreeItem(item, node, token) : item;
  }

  getChildren(node?: N | GatewayNode): (N | GatewayNode)[] {
    if (!node) return this.attached.size === 0 ? this.local.getChildren() : [this.localNode, ...[...this.attached.values()].map((a) => a.node)];
    if (isGatewayNode(node)) return this.treeOf(node.id)?.getChildren() ?? [];
    return this.treeOfNode(node).getChildren(node);
  }

  getParent(node: N | GatewayNode): N | GatewayNode | undefined {
    if (isGatewayNode(node)) return undefined;
    const tree = this.treeOfNode(node);
    const parent = tree.getParent(node);
    if (parent || this.attached.size === 0) return parent;
    return tree === this.local ? this.localNode : this.gatewayNode(tree.gateway ?? '');
  }

  private treeOfNode(node: N): T {
    const gatewayId = node && typeof node === 'object' && 'gateway' in node && typeof node.gateway === 'string' ? node.gateway : undefined;
    return this.treeOf(gatewayId) ?? this.local;
  }

  private add(gateway: GatewayConnection): void {
    if (this.attached.has(gateway.id)) return;
    const tree = this.options.treeFor(gateway);
    const node: GatewayNode = { kind: 'gateway', id: gateway.id };
    this.attached.set(gateway.id, {
      tree,
      node,
      subscriptions: [tree.onDidChangeTreeData((nodes) => this.changeTreeData.fire(nodes ?? undefined)), gateway.onDidChangeState(() => this.repaintGateway(node)), tree],
    });
    this.changeTreeData.fire(undefined);
  }

  private remove(gatewayId: string): void {
    const attached = this.attached.get(gatewayId);
    if (!attached) return;
    this.attached.delete(gatewayId);
    for (const subscription of attached.subscriptions) subscription.dispose();
    this.changeTreeData.fire(undefined);
  }

  private repaintGateway(node: GatewayNode): void {
    // With the local gateway alone there is no gateway row to repaint.
    if (this.attached.size > 0) this.changeTreeData.fire(node);
  }

  dispose(): void {
    for (const id of [...this.attached.keys()]) this.remove(id);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeTreeData.dispose();
  }
}

export function isGatewayNode(node: unknown): node is GatewayNode {
  return !!node && typeof node === 'object' && 'kind' in node && node.kind === 'gateway';
}

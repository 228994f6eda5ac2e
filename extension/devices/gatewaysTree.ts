/**
 * The Devices view's provider: the local gateway's devices at the top level while it
 * is the only gateway; once one is attached, every gateway is a top-level node (the
 * local one first) with its own devices and tags underneath. Each gateway's devices
 * come from a DeviceTreeProvider of its own, following that gateway's connection;
 * their nodes carry the gateway's id, so a command on one acts on its gateway.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from '../gateway/gatewayConnection';
import type { GatewayRegistry } from '../gateway/gatewayRegistry';
import type { Logger } from '../util/logger';
import { DeviceTreeProvider } from './deviceTree';
import { gatewayTreeItem } from './gatewayTreeItem';
import type { DevicesViewNode, GatewayNode } from './treeItems';

interface Attached {
  gateway: GatewayConnection;
  tree: DeviceTreeProvider;
  node: GatewayNode;
  subscriptions: vscode.Disposable[];
}

export class GatewaysTreeProvider implements vscode.TreeDataProvider<DevicesViewNode>, vscode.Disposable {
  private readonly changeTreeData = new vscode.EventEmitter<DevicesViewNode | DevicesViewNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeTreeData.event;
  private readonly attached = new Map<string, Attached>();
  private readonly localNode: GatewayNode;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly gateways: GatewayRegistry,
    /** The local gateway's devices (the context's `deviceTree`). */
    readonly local: DeviceTreeProvider,
    private readonly logger: Logger,
  ) {
    this.localNode = { kind: 'gateway', id: gateways.local.id };
    this.subscriptions = [
      local.onDidChangeTreeData((nodes) => this.changeTreeData.fire(nodes)),
      gateways.local.onDidChangeState(() => this.repaintGateway(this.localNode)),
      gateways.onDidAdd((gateway) => this.add(gateway)),
      gateways.onDidRemove((gateway) => this.remove(gateway.id)),
    ];
    for (const gateway of gateways.remotes()) this.add(gateway);
  }

  /** The devices' tree of a gateway: the local one's for undefined or the local id. */
  treeOf(gatewayId: string | undefined): DeviceTreeProvider | undefined {
    if (gatewayId === undefined || gatewayId === this.gateways.local.id) return this.local;
    return this.attached.get(gatewayId)?.tree;
  }

  /** The top-level node of an attached gateway (for reveal, and the tests). */
  gatewayNode(gatewayId: string): GatewayNode | undefined {
    return gatewayId === this.gateways.local.id ? this.localNode : this.attached.get(gatewayId)?.node;
  }

  getTreeItem(node: DevicesViewNode): vscode.TreeItem {
    if (node.kind === 'gateway') {
      const gateway = this.gateways.get(node.id);
      if (!gateway) return new vscode.TreeItem(node.id);
      const configFile = 'configFile' in gateway && typeof gateway.configFile === 'string' ? gateway.configFile : undefined;
      return gatewayTreeItem(gateway, gateway === this.gateways.local, configFile);
    }
    return this.providerOf(node).getTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: DevicesViewNode): vscode.TreeItem {
    return node.kind === 'gateway' ? item : this.providerOf(node).resolveTreeItem(item, node);
  }

  getChildren(node?: DevicesViewNode): DevicesViewNode[] {
    if (!node) return this.attached.size === 0 ? this.local.getChildren() : [this.localNode, ...[...this.attached.values()].map((a) => a.node)];
    if (node.kind === 'gateway') return this.treeOf(node.id)?.getChildren() ?? [];
    return this.providerOf(node).getChildren(node);
  }

  getParent(node: DevicesViewNode): DevicesViewNode | undefined {
    if (node.kind === 'gateway') return undefined;
    const tree = this.providerOf(node);
    const parent = tree.getParent(node);
    if (parent || this.attached.size === 0) return parent;
    return tree === this.local ? this.localNode : this.gatewayNode(tree.gateway ?? '');
  }

  private providerOf(node: DevicesViewNode): DeviceTreeProvider {
    const gatewayId = 'gateway' in node && typeof node.gateway === 'string' ? node.gateway : undefined;
    return this.treeOf(gatewayId) ?? this.local;
  }

  private add(gateway: GatewayConnection): void {
    if (this.attached.has(gateway.id)) return;
    const tree = new DeviceTreeProvider(this.logger, gateway.id);
    const node: GatewayNode = { kind: 'gateway', id: gateway.id };
    this.attached.set(gateway.id, {
      gateway,
      tree,
      node,
      subscriptions: [tree.onDidChangeTreeData((nodes) => this.changeTreeData.fire(nodes)), gateway.onDidChangeState(() => this.repaintGateway(node)), tree],
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

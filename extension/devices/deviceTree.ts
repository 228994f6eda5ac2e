/**
 * The Devices view's data: a DeviceModel kept current from the gateway channel,
 * and a TreeDataProvider that repaints it.
 *
 * Values arrive many times a second (the gateway already batches every ~50 ms);
 * repainting the tree for each would keep the renderer busy for nothing. Changes
 * are collected and flushed at most every REPAINT_INTERVAL_MS, as one
 * onDidChangeTreeData event naming only the rows that changed: a tag whose value
 * moved, a device whose state did. Firing a device would repaint it and all its
 * tags, and a repainted row loses its hover: a device whose values move would
 * never show its tooltip.
 */
import * as vscode from 'vscode';
import type { DeviceSnapshot, DeviceStatus, TagValue } from '../../gateway/api';
import type { GatewayClient } from '../gateway/gatewayConnection';
import { errorMessage, type Logger } from '../util/logger';
import { NodeCache } from '../util/nodeCache';
import { RepaintThrottle } from '../util/repaintThrottle';
import { DiscoveredUnits } from '../discovery/discoveredUnits';
import {
  discoveredSectionItem,
  discoveredUnitItem,
  type DiscoveredSectionNode,
  type DiscoveredUnitNode,
} from '../discovery/discoveryTreeItems';
import { DeviceModel } from './deviceModel';
import { deviceTreeItem, tagTooltip, tagTreeItem, type DeviceNode, type DevicesViewNode, type TagNode } from './treeItems';

export const REPAINT_INTERVAL_MS = 200;

export class DeviceTreeProvider implements vscode.TreeDataProvider<DevicesViewNode>, vscode.Disposable {
  readonly model = new DeviceModel();
  /** Units discovery found, shown under "Discovered" after the devices. */
  readonly discovered = new DiscoveredUnits();

  private readonly changeTreeData = new vscode.EventEmitter<DevicesViewNode | DevicesViewNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeTreeData.event;
  /** Fires after each repaint: the status bar recounts connected devices. */
  private readonly changeDevices = new vscode.EventEmitter<void>();
  readonly onDidChangeDevices = this.changeDevices.event;
  /** Fires at once when the gateway's list of devices (or their tags) was replaced in the model, before any repaint. */
  private readonly replaceModel = new vscode.EventEmitter<void>();
  readonly onDidReplaceDevices = this.replaceModel.event;

  // The tree identifies elements by object identity: hand out one object per device
  // and tag, and reuse it across refreshes so a refresh of a node finds it again.
  private readonly deviceNodes = new NodeCache<DeviceNode>();
  private readonly tagNodes = new NodeCache<TagNode>();

  private dirtyDevices = new Set<string>();
  /** Tags whose value changed, keyed like tagNodes: `device\u0000tag`. */
  private dirtyTags = new Map<string, [device: string, tag: string]>();
  private structureChanged = false;
  private readonly repaint = new RepaintThrottle(REPAINT_INTERVAL_MS, () => this.flush());
  private clientSubscriptions: vscode.Disposable[] = [];
  private readonly discoveredSection: DiscoveredSectionNode = { kind: 'discoveredSection' };
  private readonly discoveredNodes = new NodeCache<DiscoveredUnitNode>();
  private readonly discoveredSubscription: { dispose(): void };

  constructor(private readonly logger: Logger) {
    this.discoveredSubscription = this.discovered.onDidChange(() => {
      this.structureChanged = true;
      this.repaint.schedule();
    });
  }

  /** Follows a (new) gateway connection: subscribe to its events and load its snapshot. */
  attach(client: GatewayClient): void {
    this.detach();
    this.clientSubscriptions = [
      client.onEvent('devices.changed', ({ devices }) => this.replaceDevices(devices)),
      client.onEvent('device.status', (status) => this.updateStatus(status)),
      client.onEvent('tag.values', ({ values, reads }) => {
        this.updateValues(values);
        // A read that changed nothing moves no row: the tag's hover reads the time when shown.
        for (const tick of reads ?? []) this.model.applyRead(tick);
      }),
    ];
    client.request('devices.snapshot', {}).then(
      ({ devices }) => this.replaceDevices(devices),
      (error: unknown) => this.logger.warn(`cannot load the device snapshot: ${errorMessage(error)}`),
    );
  }

  /** Stops following the connection; the devices stay shown until `clear`. */
  detach(): void {
    for (const subscription of this.clientSubscriptions) subscription.dispose();
    this.clientSubscriptions = [];
  }

  clear(): void {
    this.replaceDevices([]);
  }

  replaceDevices(devices: readonly DeviceSnapshot[]): void {
    this.model.replace(devices);
    this.replaceModel.fire();
    this.structureChanged = true;
    this.repaint.schedule();
  }

  updateStatus(status: DeviceStatus): void {
    if (!this.model.applyStatus(status)) return;
    this.dirtyDevices.add(status.device);
    this.repaint.schedule();
  }

  updateValues(values: readonly TagValue[]): void {
    for (const [device, tag] of this.model.applyValues(values)) this.dirtyTags.set(`${device}\u0000${tag}`, [device, tag]);
    if (this.dirtyTags.size > 0) this.repaint.schedule();
  }

  getTreeItem(node: DevicesViewNode): vscode.TreeItem {
    switch (node.kind) {
      case 'device': {
        const device = this.model.get(node.name);
        // A node may be asked for after its device went away; show it as gone, not throw.
        return device ? deviceTreeItem(device) : new vscode.TreeItem(node.name);
      }
      case 'tag': {
        const tag = this.model.tag(node.device, node.tag);
        return tag ? tagTreeItem(node.device, tag) : new vscode.TreeItem(node.tag);
      }
      case 'discoveredSection':
        return discoveredSectionItem(this.discovered.size);
      case 'discoveredUnit': {
        const found = this.discovered.get(node.key);
        return found ? discoveredUnitItem(found) : new vscode.TreeItem(node.key);
      }
    }
  }

  /**
   * A tag's tooltip is made when it is hovered, not when the row was painted: a
   * value that stays the same is not repainted, yet its "read at" moves on.
   */
  resolveTreeItem(item: vscode.TreeItem, node: DevicesViewNode): vscode.TreeItem {
    if (node.kind === 'tag') {
      const tag = this.model.tag(node.device, node.tag);
      if (tag) item.tooltip = tagTooltip(tag);
    }
    return item;
  }

  getChildren(node?: DevicesViewNode): DevicesViewNode[] {
    if (!node) {
      const devices: DevicesViewNode[] = this.model.names().map((name) => this.deviceNode(name));
      return this.discovered.size > 0 ? [...devices, this.discoveredSection] : devices;
    }
    switch (node.kind) {
      case 'device': {
        const device = this.model.get(node.name);
        return device ? device.tags.map((tag) => this.tagNode(node.name, tag.name)) : [];
      }
      case 'discoveredSection':
        return this.discovered.all().map((found) => this.discoveredNode(found.key));
      default:
        return [];
    }
  }

  getParent(node: DevicesViewNode): DevicesViewNode | undefined {
    if (node.kind === 'tag') return this.deviceNode(node.device);
    if (node.kind === 'discoveredUnit') return this.discoveredSection;
    return undefined;
  }

  private discoveredNode(key: string): DiscoveredUnitNode {
    return this.discoveredNodes.get(key, () => ({ kind: 'discoveredUnit', key }));
  }

  /** The node for a device, for commands that reveal or act on one. */
  deviceNode(name: string): DeviceNode {
    return this.deviceNodes.get(name, () => ({ kind: 'device', name }));
  }

  private tagNode(device: string, tag: string): TagNode {
    return this.tagNodes.get(`${device}\u0000${tag}`, () => ({ kind: 'tag', device, tag }));
  }

  private flush(): void {
    const statusChanged = this.dirtyDevices.size > 0;
    const structureChanged = this.structureChanged;
    if (structureChanged) {
      this.structureChanged = false;
      this.dirtyDevices.clear();
      this.dirtyTags.clear();
      this.pruneNodes();
      this.changeTreeData.fire(undefined);
    } else if (statusChanged || this.dirtyTags.size > 0) {
      const devices = [...this.dirtyDevices].map((name) => this.deviceNode(name));
      // A repainted device repaints its tags too: naming them again would be wasted work.
      const tags = [...this.dirtyTags.values()]
        .filter(([device]) => !this.dirtyDevices.has(device))
        .map(([device, tag]) => this.tagNode(device, tag));
      this.dirtyDevices.clear();
      this.dirtyTags.clear();
      this.changeTreeData.fire([...devices, ...tags]);
    } else {
      return;
    }
    // The status bar and the welcome message count devices and states: values alone change neither.
    if (statusChanged || structureChanged) this.changeDevices.fire();
  }

  /** Forgets node objects of devices and tags that no longer exist. */
  private pruneNodes(): void {
    this.deviceNodes.prune((node) => this.model.get(node.name) !== undefined);
    this.tagNodes.prune((node) => this.model.tag(node.device, node.tag) !== undefined);
    this.discoveredNodes.prune((node) => this.discovered.get(node.key) !== undefined);
  }

  dispose(): void {
    this.detach();
    this.discoveredSubscription.dispose();
    this.repaint.dispose();
    this.changeTreeData.dispose();
    this.changeDevices.dispose();
    this.replaceModel.dispose();
  }
}

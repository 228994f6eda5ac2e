/**
 * The Devices view's data: a DeviceModel kept current from the gateway channel,
 * and a TreeDataProvider that repaints it.
 *
 * Values arrive many times a second (the gateway already batches every ~50 ms);
 * repainting the tree for each would keep the renderer busy for nothing. Changes
 * are collected per device and flushed at most every REPAINT_INTERVAL_MS, as one
 * onDidChangeTreeData event naming only the devices that changed.
 */
import * as vscode from 'vscode';
import type { DeviceSnapshot, DeviceStatus, TagValue } from '../../gateway/api';
import type { ChannelClient } from '../gateway/channelClient';
import { errorMessage, type Logger } from '../util/logger';
import { DeviceModel } from './deviceModel';
import { deviceTreeItem, tagTreeItem, type DeviceNode, type DeviceTreeNode, type TagNode } from './treeItems';

export const REPAINT_INTERVAL_MS = 200;

export class DeviceTreeProvider implements vscode.TreeDataProvider<DeviceTreeNode>, vscode.Disposable {
  readonly model = new DeviceModel();

  private readonly changeTreeData = new vscode.EventEmitter<DeviceTreeNode | DeviceTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeTreeData.event;
  /** Fires after each repaint: the status bar recounts connected devices. */
  private readonly changeDevices = new vscode.EventEmitter<void>();
  readonly onDidChangeDevices = this.changeDevices.event;

  // The tree identifies elements by object identity: hand out one object per device
  // and tag, and reuse it across refreshes so a refresh of a node finds it again.
  private deviceNodes = new Map<string, DeviceNode>();
  private tagNodes = new Map<string, TagNode>();

  private dirtyDevices = new Set<string>();
  private structureChanged = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private clientSubscriptions: vscode.Disposable[] = [];

  constructor(private readonly logger: Logger) {}

  /** Follows a (new) gateway connection: subscribe to its events and load its snapshot. */
  attach(client: ChannelClient): void {
    this.detach();
    this.clientSubscriptions = [
      client.onEvent('devices.changed', ({ devices }) => this.replaceDevices(devices)),
      client.onEvent('device.status', (status) => this.updateStatus(status)),
      client.onEvent('tag.values', ({ values }) => this.updateValues(values)),
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
    this.structureChanged = true;
    this.scheduleFlush();
  }

  updateStatus(status: DeviceStatus): void {
    if (!this.model.applyStatus(status)) return;
    this.dirtyDevices.add(status.device);
    this.scheduleFlush();
  }

  updateValues(values: readonly TagValue[]): void {
    for (const device of this.model.applyValues(values)) this.dirtyDevices.add(device);
    if (this.dirtyDevices.size > 0) this.scheduleFlush();
  }

  getTreeItem(node: DeviceTreeNode): vscode.TreeItem {
    if (node.kind === 'device') {
      const device = this.model.get(node.name);
      // A node may be asked for after its device went away; show it as gone, not throw.
      return device ? deviceTreeItem(device) : new vscode.TreeItem(node.name);
    }
    const tag = this.model.tag(node.device, node.tag);
    return tag ? tagTreeItem(node.device, tag) : new vscode.TreeItem(node.tag);
  }

  getChildren(node?: DeviceTreeNode): DeviceTreeNode[] {
    if (!node) return this.model.names().map((name) => this.deviceNode(name));
    if (node.kind === 'tag') return [];
    const device = this.model.get(node.name);
    return device ? device.tags.map((tag) => this.tagNode(node.name, tag.name)) : [];
  }

  getParent(node: DeviceTreeNode): DeviceTreeNode | undefined {
    return node.kind === 'tag' ? this.deviceNode(node.device) : undefined;
  }

  /** The node for a device, for commands that reveal or act on one. */
  deviceNode(name: string): DeviceNode {
    let node = this.deviceNodes.get(name);
    if (!node) {
      node = { kind: 'device', name };
      this.deviceNodes.set(name, node);
    }
    return node;
  }

  private tagNode(device: string, tag: string): TagNode {
    const key = `${device}\u0000${tag}`;
    let node = this.tagNodes.get(key);
    if (!node) {
      node = { kind: 'tag', device, tag };
      this.tagNodes.set(key, node);
    }
    return node;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    // The first change after a quiet spell shows at once; a burst waits for the interval.
    const wait = Math.max(0, this.lastFlush + REPAINT_INTERVAL_MS - Date.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlush = Date.now();
    if (this.structureChanged) {
      this.structureChanged = false;
      this.dirtyDevices.clear();
      this.pruneNodes();
      this.changeTreeData.fire(undefined);
    } else if (this.dirtyDevices.size > 0) {
      const nodes = [...this.dirtyDevices].map((name) => this.deviceNode(name));
      this.dirtyDevices.clear();
      this.changeTreeData.fire(nodes);
    } else {
      return;
    }
    this.changeDevices.fire();
  }

  /** Forgets node objects of devices and tags that no longer exist. */
  private pruneNodes(): void {
    for (const name of this.deviceNodes.keys()) if (!this.model.get(name)) this.deviceNodes.delete(name);
    for (const [key, node] of this.tagNodes) if (!this.model.tag(node.device, node.tag)) this.tagNodes.delete(key);
  }

  dispose(): void {
    this.detach();
    clearTimeout(this.flushTimer);
    this.changeTreeData.dispose();
    this.changeDevices.dispose();
  }
}

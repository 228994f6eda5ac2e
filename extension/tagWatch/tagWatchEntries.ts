/**
 * What a Tag Watch panel watches, and how a command's arguments become that. No vscode
 * import: unit-tested in Node.
 */
import type { DeviceTreeNode } from '../devices/treeItems';

/** A whole device (its tags as they come and go) or one tag. */
export interface WatchEntry {
  device: string;
  /** Absent: every tag of the device. */
  tag?: string;
}

/** Device and tag nodes only: the tree also holds discovered units, which have nothing to watch. */
function isNode(value: unknown): value is DeviceTreeNode {
  if (!value || typeof value !== 'object' || !('kind' in value)) return false;
  return value.kind === 'device' || value.kind === 'tag';
}

function entryOf(node: DeviceTreeNode): WatchEntry {
  return node.kind === 'device' ? { device: node.name } : { device: node.device, tag: node.tag };
}

/**
 * Tree menus pass (clicked node, all selected nodes): the selection counts when it
 * includes the clicked node, as in the Explorer. A device name (string) watches the device.
 */
export function entriesFromArguments(arg: unknown, selection: unknown): WatchEntry[] | undefined {
  if (typeof arg === 'string') return [{ device: arg }];
  if (!isNode(arg)) return undefined;
  const nodes = Array.isArray(selection) && selection.some((n) => n === arg) ? selection.filter(isNode) : [arg];
  const entries = nodes.map(entryOf);
  // A whole device covers its own tags.
  const wholeDevices = new Set(entries.filter((e) => e.tag === undefined).map((e) => e.device));
  return entries.filter((e) => e.tag === undefined || !wholeDevices.has(e.device));
}

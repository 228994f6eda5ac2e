/**
 * How a device or a tag looks in the Devices view: label, description, icon,
 * tooltip and the contextValue that menus' when-clauses match.
 */
import * as vscode from 'vscode';
import { parseAddress, type ConnectionState, type DeviceSnapshot, type TagSummary } from '../../gateway/api';
import type { DiscoveryTreeNode } from '../discovery/discoveryTreeItems';
import type { GatewayNode } from '../ui/gatewayGroupedTree';
import { describeTag, formatDuration, formatRaw, formatReading, readAndChanged } from './format';

export interface DeviceNode {
  readonly kind: 'device';
  readonly name: string;
  /** The attached gateway it belongs to (its id); absent for the local gateway's. */
  readonly gateway?: string;
}

export interface TagNode {
  readonly kind: 'tag';
  readonly device: string;
  readonly tag: string;
  readonly gateway?: string;
}

export type DeviceTreeNode = DeviceNode | TagNode;

/** Every node of the Devices view: gateways (once one is attached), devices and tags, and the Discovered section. */
export type DevicesViewNode = GatewayNode | DeviceTreeNode | DiscoveryTreeNode;

/**
 * `bifrost.device.connected`, … : what the menus in package.json match. An attached
 * gateway's device ends in `.remote`: it has no entry in this window's bifrost.json,
 * so the menus that edit the file leave it out.
 */
export function deviceContextValue(state: ConnectionState, gateway?: string): string {
  return `bifrost.device.${state}${gateway === undefined ? '' : '.remote'}`;
}

export const TAG_CONTEXT_VALUE = 'bifrost.tag';
export const REMOTE_TAG_CONTEXT_VALUE = 'bifrost.tag.remote';

// Ids must be stable across refreshes so the tree keeps expansion and selection, and
// unique across gateways (two sites may each have a "PLC").
export function deviceNodeId(name: string, gateway?: string): string {
  return `${gateway === undefined ? '' : `${gateway}/`}bifrost.device/${name}`;
}

export function tagNodeId(device: string, tag: string, gateway?: string): string {
  return `${gateway === undefined ? '' : `${gateway}/`}bifrost.tag/${device}/${tag}`;
}

const STATE_LABEL: Record<ConnectionState, string> = {
  connected: 'Connected',
  notAnswering: 'Not answering',
  connecting: 'Connecting',
  disconnected: 'Disconnected',
  disabled: 'Disabled',
  error: 'Error',
};

function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state) {
    case 'connected':
      return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
    case 'notAnswering':
      // Connected, yet silent: the warning colour says "look here" without claiming it is down.
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'connecting':
      return new vscode.ThemeIcon('loading~spin');
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'disabled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'disconnected':
      return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground'));
  }
}

export function deviceTreeItem(device: DeviceSnapshot, gateway?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(device.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = deviceNodeId(device.name, gateway);
  item.description = deviceDescription(device);
  item.iconPath = stateIcon(device.status.state);
  item.contextValue = deviceContextValue(device.status.state, gateway);
  item.tooltip = deviceTooltip(device);
  item.accessibilityInformation = { label: `${device.name}, ${STATE_LABEL[device.status.state]}, ${item.description}` };
  return item;
}

/** States in which the last error is the present truth, worth a place on the row itself. */
const ERROR_ON_ROW: ReadonlySet<ConnectionState> = new Set(['notAnswering', 'error', 'disconnected', 'connecting']);

/**
 * The row's text after the name: the endpoint, and while the device is in trouble
 * why, so it reads at a glance without a hover: `tcp://10.0.0.5:502 #1 · no reply
 * from unit 1 within 1000 ms`. A connected device's old error is history: hover only.
 */
export function deviceDescription(device: DeviceSnapshot): string {
  const { state, lastError } = device.status;
  if (!lastError || !ERROR_ON_ROW.has(state)) return device.endpoint;
  const label = state === 'notAnswering' ? 'not answering' : state === 'error' ? 'error' : '';
  return `${device.endpoint} · ${label && !lastError.toLowerCase().includes(label) ? `${label}: ` : ''}${lastError}`;
}

function deviceTooltip(device: DeviceSnapshot): vscode.MarkdownString {
  const status = device.status;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**').appendText(device.name).appendMarkdown('** — ').appendText(STATE_LABEL[status.state]);
  md.appendMarkdown(` since ${new Date(status.since).toLocaleTimeString()}\n\n`);
  md.appendMarkdown('Endpoint: ').appendMarkdown(`\`${device.endpoint.replace(/`/g, "'")}\``).appendMarkdown('  \n');
  md.appendMarkdown(`Unit: ${device.unitId}  \n`);
  md.appendMarkdown(`Poll rate: ${formatDuration(device.pollMs)}  \n`);
  md.appendMarkdown(`Tags: ${device.tags.length}`);
  // retryInMs counts from `since`; a clock time stays true however late the hover is.
  if (status.retryInMs !== undefined) {
    md.appendMarkdown(`  \nNext attempt at ${new Date(status.since + status.retryInMs).toLocaleTimeString()}`);
  }
  if (status.lastError) md.appendMarkdown('\n\n$(error) Last error: ').appendText(status.lastError);
  return md;
}

export function tagTreeItem(device: string, tag: TagSummary, gateway?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(tag.name, vscode.TreeItemCollapsibleState.None);
  item.id = tagNodeId(device, tag.name, gateway);
  item.description = describeTag(tag);
  item.iconPath = tagIcon(tag);
  item.contextValue = gateway === undefined ? TAG_CONTEXT_VALUE : REMOTE_TAG_CONTEXT_VALUE;
  // No tooltip here: DeviceTreeProvider.resolveTreeItem makes it when hovered, with the latest read time.
  return item;
}

function tagIcon(tag: TagSummary): vscode.ThemeIcon {
  const quality = tag.value?.quality;
  if (quality === 'bad') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  const id = tag.type === 'bool' ? 'symbol-boolean' : 'symbol-number';
  // Stale or not read yet: dimmed, so only live values catch the eye.
  if (quality !== 'good') return new vscode.ThemeIcon(id, new vscode.ThemeColor('disabledForeground'));
  return new vscode.ThemeIcon(id);
}

export function tagTooltip(tag: TagSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**').appendText(tag.name).appendMarkdown('**  \n');
  md.appendMarkdown(`\`${tag.address.replace(/`/g, "'")}\` · ${tag.type}`).appendMarkdown('\n\n');
  const value = tag.value;
  if (!value) {
    md.appendMarkdown('Not read yet');
    return md;
  }
  md.appendMarkdown('Value: ').appendText(formatReading(value, tag.unit)).appendMarkdown('  \n');
  const parsed = parseAddress(tag.address);
  const bits = parsed.ok && (parsed.address.table === 'coil' || parsed.address.table === 'discreteInput');
  const raw = formatRaw(value.raw, bits);
  if (raw) md.appendMarkdown(`Raw: \`${raw}\`  \n`);
  md.appendMarkdown(`Quality: ${value.quality}  \n`);
  md.appendMarkdown(readAndChanged(value));
  if (value.error) md.appendMarkdown('\n\n$(warning) ').appendText(value.error);
  return md;
}

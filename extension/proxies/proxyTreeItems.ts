/**
 * How a proxy and its clients look in the Proxies view: label, description, state
 * icon in theme colours, MarkdownString tooltip with the stats, and the contextValue
 * the inline start/stop actions match.
 */
import * as vscode from 'vscode';
import type { ProxyClientInfo, ProxyInfo, ProxyState } from '../../gateway/api';
import { clientTooltipMarkdown, describeClient, describeProxy, PROXY_STATE_LABEL, proxyTooltipMarkdown, formatListen } from './proxyFormat';
import { PROXY_CLIENT_CONTEXT_VALUE, proxyContextValue } from './proxyModel';

export interface ProxyNode {
  readonly kind: 'proxy';
  readonly name: string;
  /** The attached gateway it runs on (its id); absent for the local gateway's. */
  readonly gateway?: string;
}

export interface ProxyClientNode {
  readonly kind: 'proxyClient';
  readonly proxy: string;
  readonly address: string;
  readonly gateway?: string;
}

export type ProxiesViewNode = ProxyNode | ProxyClientNode;

export function isProxyNode(value: unknown): value is ProxyNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'proxy';
}

function stateIcon(state: ProxyState): vscode.ThemeIcon {
  switch (state) {
    case 'running':
      return new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'stopped':
      return new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('disabledForeground'));
  }
}

/** Ids stay unique across gateways (two sites may each have a "SCADA" proxy). */
function scoped(id: string, gateway: string | undefined): string {
  return gateway === undefined ? id : `${gateway}/${id}`;
}

export function proxyTreeItem(proxy: ProxyInfo, now = Date.now(), gateway?: string): vscode.TreeItem {
  const collapsible = proxy.clients.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(proxy.name, collapsible);
  item.id = scoped(`bifrost.proxy/${proxy.name}`, gateway);
  item.description = describeProxy(proxy);
  item.iconPath = stateIcon(proxy.state);
  item.contextValue = proxyContextValue(proxy);
  item.tooltip = new vscode.MarkdownString(proxyTooltipMarkdown(proxy, now), true);
  item.accessibilityInformation = {
    label: `Proxy ${proxy.name}, ${PROXY_STATE_LABEL[proxy.state]}, ${formatListen(proxy.listen)}, ${proxy.clients.length} clients`,
  };
  return item;
}

export function proxyClientTreeItem(proxy: string, client: ProxyClientInfo, now = Date.now(), gateway?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(client.address, vscode.TreeItemCollapsibleState.None);
  item.id = scoped(`bifrost.proxyClient/${proxy}/${client.address}`, gateway);
  item.description = describeClient(client);
  item.iconPath = new vscode.ThemeIcon(client.errors > 0 ? 'warning' : 'person', client.errors > 0 ? new vscode.ThemeColor('list.warningForeground') : undefined);
  item.contextValue = PROXY_CLIENT_CONTEXT_VALUE;
  item.tooltip = new vscode.MarkdownString(clientTooltipMarkdown(client, now), true);
  return item;
}

/**
 * How a gateway looks at the top of the Devices and Proxies views once one is attached: its name,
 * its state (connecting, connected, unreachable and why), and the contextValue the
 * Detach menu matches.
 */
import * as vscode from 'vscode';
import { problemInBrief } from '../gateway/connectionWords';
import type { GatewayConnection, GatewayState } from '../gateway/gatewayConnection';

export const LOCAL_GATEWAY_CONTEXT_VALUE = 'bifrost.gateway.local';
export const REMOTE_GATEWAY_CONTEXT_VALUE = 'bifrost.gateway.remote';

const REMOTE_STATE: Record<GatewayState, string> = {
  starting: 'connecting…',
  running: 'connected',
  restarting: 'unreachable',
  stopped: 'not connected',
};

const LOCAL_STATE: Record<GatewayState, string> = {
  starting: 'starting…',
  running: 'running',
  restarting: 'restarting…',
  stopped: 'stopped',
};

export function gatewayTreeItem(gateway: GatewayConnection, isLocal: boolean, configFile: string | undefined): vscode.TreeItem {
  const label = isLocal ? 'This machine' : gateway.label;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `bifrost.gateway/${gateway.id}`;
  const state = (isLocal ? LOCAL_STATE : REMOTE_STATE)[gateway.state];
  item.description = gateway.problem && gateway.state !== 'running' ? problemInBrief(gateway.problem) : state;
  item.iconPath = gatewayIcon(gateway.state, isLocal);
  item.contextValue = isLocal ? LOCAL_GATEWAY_CONTEXT_VALUE : REMOTE_GATEWAY_CONTEXT_VALUE;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown('**').appendText(label).appendMarkdown('** — ').appendText(state);
  if (!isLocal && 'url' in gateway && typeof gateway.url === 'string') tooltip.appendMarkdown('  \n').appendText(gateway.url);
  if (gateway.info) tooltip.appendMarkdown(`  \nGateway ${gateway.info.version} (pid ${gateway.info.pid})`);
  if (configFile) tooltip.appendMarkdown('  \nRuns ').appendMarkdown(`\`${configFile.replace(/`/g, "'")}\``).appendMarkdown(': its devices are looked at here, not configured');
  if (gateway.problem && gateway.state !== 'running') tooltip.appendMarkdown('\n\n$(warning) ').appendText(gateway.problem);
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: `${label}, ${item.description}` };
  return item;
}

function gatewayIcon(state: GatewayState, isLocal: boolean): vscode.ThemeIcon {
  const id = isLocal ? 'vm' : 'remote';
  switch (state) {
    case 'running':
      return new vscode.ThemeIcon(id, new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'restarting':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'stopped':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  }
}

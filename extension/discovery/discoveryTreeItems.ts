/**
 * The Devices view's "Discovered" section: one node for the section (inline
 * "Clear") and one per unit that answered a scan (inline "Add Device").
 */
import * as vscode from 'vscode';
import { describeUnit, transportLabel, type FoundUnit } from './discoveredUnits';

export interface DiscoveredSectionNode {
  readonly kind: 'discoveredSection';
}

export interface DiscoveredUnitNode {
  readonly kind: 'discoveredUnit';
  readonly key: string;
}

export type DiscoveryTreeNode = DiscoveredSectionNode | DiscoveredUnitNode;

/** What the menus in package.json match. */
export const DISCOVERED_SECTION_CONTEXT = 'bifrost.discovered';
export const DISCOVERED_UNIT_CONTEXT = 'bifrost.discoveredUnit';

export function isDiscoveryNode(node: unknown): node is DiscoveryTreeNode {
  const kind = (node as { kind?: unknown } | undefined)?.kind;
  return kind === 'discoveredSection' || kind === 'discoveredUnit';
}

export function discoveredSectionItem(count: number): vscode.TreeItem {
  const item = new vscode.TreeItem('Discovered', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'bifrost.discovered';
  item.description = `${count} unit${count === 1 ? '' : 's'} answered`;
  item.iconPath = new vscode.ThemeIcon('search');
  item.contextValue = DISCOVERED_SECTION_CONTEXT;
  item.tooltip = 'Units that answered the last discovery scan of each link. Add one as a device with its + button.';
  return item;
}

export function discoveredUnitItem(found: FoundUnit): vscode.TreeItem {
  const item = new vscode.TreeItem(`Unit ${found.unit.unitId}`, vscode.TreeItemCollapsibleState.None);
  item.id = `bifrost.discovered/${found.key}`;
  item.description = `${describeUnit(found.unit)} — ${transportLabel(found.transport)}`;
  item.iconPath = new vscode.ThemeIcon('circuit-board');
  item.contextValue = DISCOVERED_UNIT_CONTEXT;
  item.tooltip = unitTooltip(found);
  return item;
}

function unitTooltip(found: FoundUnit): vscode.MarkdownString {
  const { unit } = found;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**').appendText(`Unit ${unit.unitId}`).appendMarkdown('** on ').appendText(transportLabel(found.transport));
  md.appendMarkdown('\n\nAnswers: ').appendText(unit.answers.join(', '));
  for (const object of unit.identification?.objects ?? []) {
    md.appendMarkdown('  \n').appendText(`${object.name}: ${object.value}`);
  }
  if (unit.serverId) {
    md.appendMarkdown('  \n').appendText(`Server id: ${unit.serverId.id}, ${unit.serverId.running ? 'running' : 'stopped'}`);
    if (unit.serverId.dataHex) md.appendMarkdown(` (data \`${unit.serverId.dataHex}\`)`);
  }
  return md;
}

/**
 * Bifrost: Discover Devices… — ask where to look, scan unit ids through the
 * gateway behind a cancellable progress notification, show what answered in the
 * Devices view's "Discovered" section, and offer to add the units as devices.
 * Also the section's own commands: Add Device on a found unit, and Clear.
 */
import * as vscode from 'vscode';
import { formatPath, OperationMethods, plainIssues } from '../../gateway/api';
import { addDiscoveredDevices } from './addDiscovered';
import { describeUnit, transportLabel, type FoundUnit } from './discoveredUnits';
import { isDiscoveryNode } from './discoveryTreeItems';
import { runScan, type ScanOutcome, type ScanRequest } from './runScan';
import { askScanRequest } from './scanForm';
import type { BifrostContext, GatewayCommandContext } from '../bifrostContext';

export const DISCOVERY_COMMANDS = {
  discover: 'bifrost.discoverDevices',
  addDiscovered: 'bifrost.addDiscoveredDevice',
  clearDiscovered: 'bifrost.clearDiscovered',
} as const;

const ScanParams = OperationMethods['discovery.scan'].params;

/**
 * With scan parameters as the argument (another extension, a test) the questions
 * and the result picker are skipped: the scan runs and its results go to the tree.
 * Resolves with the scan's outcome, or undefined when the user backed out.
 */
export async function discoverDevices(ctx: BifrostContext, { client }: GatewayCommandContext, arg?: unknown): Promise<ScanOutcome | undefined> {
  const given = arg === undefined ? undefined : ScanParams.safeParse(arg);
  if (given && !given.success) throw new Error(`Discover Devices was given bad scan parameters: ${plainIssues(given.error.issues, formatPath)}`);
  const request: ScanRequest | undefined = given?.success ? given.data : await askScanRequest({ client, logger: ctx.log });
  if (!request) return undefined;
  const outcome = await runScan(client, request, ctx.log);
  const found = ctx.deviceTree.discovered.replaceScan(request.transport, outcome.found);
  if (given) return outcome;
  const where = transportLabel(request.transport);
  if (found.length === 0) {
    const range = `${request.unitIds.from}–${request.unitIds.to}`;
    void vscode.window.showInformationMessage(
      `Bifrost: no unit answered on ${where} (ids ${range}${outcome.cancelled ? ', scan cancelled' : ''}). Check the line settings and wiring, or try a longer timeout.`,
    );
    return outcome;
  }
  await revealDiscovered(ctx);
  const picked = await pickUnits(found, `${found.length} unit(s) answered on ${where}: add which as devices?`);
  if (picked.length > 0) await addDiscoveredDevices(ctx, picked);
  return outcome;
}

/** Add Device on found units: the clicked one (with the rest of the selection), or picked from all. */
export async function addDiscovered(ctx: BifrostContext, arg: unknown, selection: unknown): Promise<string[]> {
  const discovered = ctx.deviceTree.discovered;
  let found: FoundUnit[];
  if (typeof arg === 'string') {
    found = [discovered.get(arg)].filter((entry): entry is FoundUnit => entry !== undefined);
  } else if (isDiscoveryNode(arg) && arg.kind === 'discoveredUnit') {
    const nodes = Array.isArray(selection) && selection.includes(arg) ? selection : [arg];
    found = nodes
      .filter(isDiscoveryNode)
      .flatMap((node) => (node.kind === 'discoveredUnit' ? [discovered.get(node.key)] : []))
      .filter((entry): entry is FoundUnit => entry !== undefined);
  } else {
    if (discovered.size === 0) {
      void vscode.window.showInformationMessage('Bifrost: nothing discovered yet. Run "Bifrost: Discover Devices…" first.');
      return [];
    }
    found = await pickUnits(discovered.all(), 'Add which discovered units as devices?');
  }
  return addDiscoveredDevices(ctx, found);
}

async function pickUnits(found: readonly FoundUnit[], placeHolder: string): Promise<FoundUnit[]> {
  const items = found.map((entry) => ({
    label: `Unit ${entry.unit.unitId}`,
    description: describeUnit(entry.unit),
    detail: `${transportLabel(entry.transport)} · ${entry.unit.answers.join(', ')}`,
    picked: true,
    entry,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Discovered units', placeHolder, canPickMany: true, ignoreFocusOut: true });
  return (picked ?? []).map((item) => item.entry);
}

async function revealDiscovered(ctx: BifrostContext): Promise<void> {
  const section = ctx.deviceTree.getChildren().find((node) => node.kind === 'discoveredSection');
  if (!section || !ctx.devicesView.visible) return;
  try {
    await ctx.devicesView.reveal(section, { expand: true, select: false, focus: false });
  } catch {
    // The tree repaints on a timer; a reveal before it has the node is harmless to skip.
  }
}

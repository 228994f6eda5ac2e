/**
 * Bifrost: Discover Devices… — ask where to look, scan unit ids through the
 * gateway behind a cancellable progress notification, show what answered in the
 * Devices view's "Discovered" section, and offer to add the units as devices.
 * Also the section's own commands: Add Device on a found unit, and Clear.
 */
import * as vscode from 'vscode';
import { formatPath, OperationMethods, plainIssues } from '../../gateway/api';
import { addDiscoveredDevices } from '../discovery/addDiscovered';
import { describeUnit, transportLabel, type FoundUnit } from '../discovery/discoveredUnits';
import { isDiscoveryNode } from '../discovery/discoveryTreeItems';
import { runScan, type ScanOutcome, type ScanRequest } from '../discovery/runScan';
import { askScanRequest } from '../discovery/scanForm';
import { errorMessage } from '../util/logger';
import type { Services } from '../services';

export const DISCOVERY_COMMANDS = {
  discover: 'bifrost.discoverDevices',
  addDiscovered: 'bifrost.addDiscoveredDevice',
  clearDiscovered: 'bifrost.clearDiscovered',
} as const;

const ScanParams = OperationMethods['discovery.scan'].params;

export function registerDiscovery(services: Services): vscode.Disposable[] {
  const handlers: Record<string, (arg?: unknown, selection?: unknown) => Promise<unknown>> = {
    [DISCOVERY_COMMANDS.discover]: (arg) => discoverDevices(services, arg),
    [DISCOVERY_COMMANDS.addDiscovered]: (arg, selection) => addDiscovered(services, arg, selection),
    [DISCOVERY_COMMANDS.clearDiscovered]: async () => services.deviceTree.discovered.clear(),
  };
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown, selection?: unknown) => {
      // As in register.ts: a failure is reported here, never an unhandled rejection.
      try {
        return await handler(arg, selection);
      } catch (error) {
        services.log.error(`${id} failed: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`Bifrost: ${errorMessage(error)}`);
        return undefined;
      }
    }),
  );
}

/**
 * With scan parameters as the argument (another extension, a test) the questions
 * and the result picker are skipped: the scan runs and its results go to the tree.
 * Resolves with the scan's outcome, or undefined when the user backed out.
 */
export async function discoverDevices(services: Services, arg?: unknown): Promise<ScanOutcome | undefined> {
  const client = services.gateway.client;
  if (!client) throw new Error('the gateway is not running: restart it (Bifrost: Restart Gateway) and try again');
  const given = arg === undefined ? undefined : ScanParams.safeParse(arg);
  if (given && !given.success) throw new Error(`Discover Devices was given bad scan parameters: ${plainIssues(given.error.issues, formatPath)}`);
  const request: ScanRequest | undefined = given?.success ? given.data : await askScanRequest({ client, logger: services.log });
  if (!request) return undefined;
  const outcome = await runScan(client, request, services.log);
  const found = services.deviceTree.discovered.replaceScan(request.transport, outcome.found);
  if (given) return outcome;
  const where = transportLabel(request.transport);
  if (found.length === 0) {
    const range = `${request.unitIds.from}–${request.unitIds.to}`;
    void vscode.window.showInformationMessage(
      `Bifrost: no unit answered on ${where} (ids ${range}${outcome.cancelled ? ', scan cancelled' : ''}). Check the line settings and wiring, or try a longer timeout.`,
    );
    return outcome;
  }
  await revealDiscovered(services);
  const picked = await pickUnits(found, `${found.length} unit(s) answered on ${where}: add which as devices?`);
  if (picked.length > 0) await addDiscoveredDevices(services, picked);
  return outcome;
}

/** Add Device on found units: the clicked one (with the rest of the selection), or picked from all. */
async function addDiscovered(services: Services, arg: unknown, selection: unknown): Promise<string[]> {
  const discovered = services.deviceTree.discovered;
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
  return addDiscoveredDevices(services, found);
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

async function revealDiscovered(services: Services): Promise<void> {
  const section = services.deviceTree.getChildren().find((node) => node.kind === 'discoveredSection');
  if (!section || !services.treeView.visible) return;
  try {
    await services.treeView.reveal(section, { expand: true, select: false, focus: false });
  } catch {
    // The tree repaints on a timer; a reveal before it has the node is harmless to skip.
  }
}

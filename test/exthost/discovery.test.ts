// Discover Devices in a real extension host: a scan of units 1–3 on the built-in
// demo simulator (which answers every unit id) through the command, its results in
// the Devices tree's "Discovered" section, "Add Device" on one of them writing
// bifrost.json, and "Clear" emptying the section. Leaves no file and no section
// behind for the suites after it. Waits poll against a deadline, never a fixed sleep.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, until, label } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { DevicesViewNode } from '../../extension/devices/treeItems';
import type { ScanOutcome } from '../../extension/discovery/runScan';

describe('Discover Devices', function () {
  this.timeout(90_000);
  let api: BifrostApi;
  let createdConfig: vscode.Uri | undefined;

  const roots = (): DevicesViewNode[] => api.deviceTree.getChildren();
  const section = (): DevicesViewNode | undefined => roots().find((node) => node.kind === 'discoveredSection');
  const units = (): vscode.TreeItem[] => {
    const node = section();
    return node ? api.deviceTree.getChildren(node).map((child) => api.deviceTree.getTreeItem(child)) : [];
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await until('the gateway to run', () => (api.gateway.state === 'running' && api.gateway.client ? true : undefined), 60_000);
  });

  after(async () => {
    await vscode.commands.executeCommand('bifrost.clearDiscovered');
    if (createdConfig) {
      await vscode.workspace.fs.delete(createdConfig).then(undefined, () => undefined);
      await api.configStore.reload();
    }
  });

  it('registers its commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['bifrost.discoverDevices', 'bifrost.addDiscoveredDevice', 'bifrost.clearDiscovered']) assert.ok(registered.has(id), id);
  });

  it('scans units 1–3 of the demo and lists them under "Discovered"', async () => {
    const outcome = await vscode.commands.executeCommand<ScanOutcome | undefined>('bifrost.discoverDevices', {
      transport: { kind: 'demo' },
      unitIds: { from: 1, to: 3 },
      timeoutMs: 1000,
    });
    assert.ok(outcome, 'the command answers with the scan outcome');
    assert.deepStrictEqual(
      outcome.found.map((unit) => unit.unitId),
      [1, 2, 3],
    );
    assert.strictEqual(outcome.cancelled, false);
    const node = await until('the Discovered section', section);
    const item = api.deviceTree.getTreeItem(node);
    assert.strictEqual(label(item), 'Discovered');
    assert.strictEqual(item.contextValue, 'bifrost.discovered');
    assert.strictEqual(item.description, '3 units answered');
    const children = units();
    assert.deepStrictEqual(children.map(label), ['Unit 1', 'Unit 2', 'Unit 3']);
    for (const child of children) {
      assert.strictEqual(child.contextValue, 'bifrost.discoveredUnit');
      // The demo identifies itself (43/14): its product code shows beside the unit.
      assert.match(String(child.description), /BFR-SIM.* — demo$/);
    }
    // The section comes after the devices: the Demo device is still first.
    assert.strictEqual(roots()[0].kind, 'device');
  });

  it('adds a discovered unit to bifrost.json as a device named from its product code, and it leaves the section', async function () {
    const uri = api.configStore.uri;
    if (!uri) this.skip(); // no folder open: nothing to write to
    const existed = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    assert.strictEqual(existed, false, 'the suite starts without bifrost.json');
    createdConfig = uri;
    const unit2 = api.deviceTree.getChildren(section()!).find((node) => label(api.deviceTree.getTreeItem(node)) === 'Unit 2');
    assert.ok(unit2);
    const added = await vscode.commands.executeCommand<string[]>('bifrost.addDiscoveredDevice', unit2, [unit2]);
    assert.deepStrictEqual(added, ['BFR-SIM unit 2']);
    const written = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as {
      devices: { name: string; unitId: number; transport: { kind: string } }[];
    };
    assert.deepStrictEqual(
      written.devices.map((device) => [device.name, device.unitId, device.transport.kind]),
      [['BFR-SIM unit 2', 2, 'demo']],
    );
    await until('the new device in the tree', () =>
      roots().find((node) => node.kind === 'device' && label(api.deviceTree.getTreeItem(node)) === 'BFR-SIM unit 2'),
    );
    assert.deepStrictEqual(units().map(label), ['Unit 1', 'Unit 3']);
  });

  it('clears the section', async () => {
    await vscode.commands.executeCommand('bifrost.clearDiscovered');
    assert.strictEqual(section(), undefined);
  });
});

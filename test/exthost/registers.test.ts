// The Registers panel in a real extension host: opened on the Demo device from the
// command (several side by side), its page says ready and the host's read loop brings
// the simulator's registers; a saved view in bifrost.json opens with its range.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, until } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { RegistersPanel } from '../../extension/registers/registersPanel';
import { DEMO_LAYOUT } from '../../gateway/api';

describe('Registers panel', function () {
  this.timeout(90_000);
  let api: BifrostApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await until('the Demo device connected', () => api.deviceTree.model.get('Demo')?.status.state === 'connected');
  });

  after(() => api?.registers.dispose());

  it('opens on a device, reads its registers, and a second panel opens beside it', async () => {
    const pi = DEMO_LAYOUT.holding.piAbcd;
    const range = { table: 'holdingRegister' as const, start: 0, count: 20, pollMs: 250 };
    const panel = await vscode.commands.executeCommand<RegistersPanel | undefined>('bifrost.openRegisters', { device: 'Demo', range });
    assert.ok(panel, 'the command returns the panel');
    assert.strictEqual(panel.controller.panel.viewType, 'bifrost.registers');
    assert.strictEqual(panel.controller.panel.title, 'Registers: Demo HR:0 ×20');
    await until('the ready handshake', () => panel.controller.isReady);
    await until('π (float32 ABCD) in HR:10–11', () => panel.values.get(pi) === 0x4049 && panel.values.get(pi + 1) === 0x0fdb);
    const second = await vscode.commands.executeCommand<RegistersPanel | undefined>('bifrost.openRegisters', { device: 'Demo', range: { ...range, table: 'coil', count: 8 } });
    assert.ok(second);
    assert.strictEqual(api.registers.panels.length, 2);
    second.dispose();
    assert.strictEqual(api.registers.panels.length, 1);
    panel.dispose();
  });

  it('opens a saved view from bifrost.json with its range and formats', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder, 'bifrost.json');
    const config = {
      version: 1,
      devices: [{ name: 'Demo', transport: { kind: 'demo' } }],
      registerViews: [{ name: 'pi rows', device: 'Demo', table: 'holdingRegister', start: 10, count: 8, pollMs: 500, formats: [{ address: 12, format: 'float32', order: 'CDAB' }] }],
    };
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(config, null, 2)));
      await api.configStore.reload();
      await until('the view loaded', () => api.configStore.config?.registerViews?.length === 1);
      const panel = await vscode.commands.executeCommand<RegistersPanel | undefined>('bifrost.openRegisters', { view: 'pi rows' });
      assert.ok(panel);
      assert.strictEqual(panel.controller.panel.title, 'Registers: Demo HR:10 ×8');
      await until('values of HR:10–17', () => panel.values.get(17) !== undefined && panel.values.get(10) === 0x4049);
      panel.dispose();
    } finally {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
      await api.configStore.reload();
    }
  });
});

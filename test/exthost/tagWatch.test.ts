// The Tag Watch panel in a real extension host: "Watch Tags" on the Demo device opens a
// webview panel whose page loads under its CSP and completes the ready handshake.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, until } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { TagWatchPanel } from '../../extension/tagWatch/tagWatchPanel';

describe('Tag Watch panel', function () {
  this.timeout(90_000);
  let api: BifrostApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await until('the Demo device', () => api.deviceTree.model.get('Demo'));
  });

  after(() => api?.tagWatch.dispose());

  it('opens from "Watch Tags" for the Demo device, and its page says ready', async () => {
    const before = api.tagWatch.panels.length;
    const panel = await vscode.commands.executeCommand<TagWatchPanel | undefined>('bifrost.watchTags', 'Demo');
    assert.ok(panel, 'the command returns the panel');
    assert.strictEqual(api.tagWatch.panels.length, before + 1);
    assert.strictEqual(panel.controller.panel.title, 'Watch: Demo');
    assert.strictEqual(panel.controller.panel.viewType, 'bifrost.tagWatch');
    // The webview's script ran (CSP, asWebviewUri and localResourceRoots all right) and
    // sent `ready`, which the controller answers with the snapshot.
    await until('the ready handshake', () => panel.controller.isReady);
    const tab = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('bifrost.tagWatch'));
    assert.ok(tab, 'a Tag Watch tab is open');
  });

  it('opens a second panel beside the first: several watches at once', async () => {
    const count = api.tagWatch.panels.length;
    const node = { kind: 'tag', device: 'Demo', tag: 'sine' };
    const panel = await vscode.commands.executeCommand<TagWatchPanel | undefined>('bifrost.watchTags', node, [node]);
    assert.ok(panel);
    assert.strictEqual(api.tagWatch.panels.length, count + 1);
    assert.strictEqual(panel.controller.panel.title, 'Watch: Demo / sine');
    panel.dispose();
    assert.strictEqual(api.tagWatch.panels.length, count);
  });

  it('opens a saved watch list from bifrost.json ("watches")', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the suite runs in a workspace folder');
    const uri = vscode.Uri.joinPath(folder, 'bifrost.json');
    const existed = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    assert.ok(!existed, 'this test writes its own bifrost.json');
    const config = {
      version: 1,
      devices: [{ name: 'Demo', transport: { kind: 'demo' }, tags: [{ name: 'setpoint', address: 'HR:40', type: 'uint16', scale: 0.1 }] }],
      watches: [{ name: 'Setpoint only', tags: [{ device: 'Demo', tag: 'setpoint' }] }],
    };
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(config, null, 2)));
      await api.configStore.reload();
      await until('the watch list loaded', () => api.configStore.config?.watches?.length === 1);
      const panel = await vscode.commands.executeCommand<TagWatchPanel | undefined>('bifrost.watchTags', { watchList: 'Setpoint only' });
      assert.ok(panel);
      assert.deepStrictEqual(panel.entries, [{ device: 'Demo', tag: 'setpoint' }]);
      assert.strictEqual(panel.controller.panel.title, 'Watch: Demo / setpoint');
      panel.dispose();
    } finally {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
      await api.configStore.reload();
    }
  });
});

// What the Devices view shows, in a real extension host against the gateway's Demo
// device: while values move, the tree names only the tag rows that changed (never the
// device row, so its hover survives), with the same node objects each time; a device
// that holds its connection but does not reply renders as "not answering" (warning icon
// and colour, its error on the row, menus as for connected); a tag's hover tells when it
// was last read and, apart, when it last changed.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, until } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { DevicesViewNode } from '../../extension/devices/treeItems';

describe('Devices view rows', function () {
  this.timeout(60_000);
  let api: BifrostApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    if (api.gateway.state === 'stopped') await vscode.commands.executeCommand('bifrost.restartGateway');
    await until('the Demo device connected', () => api.deviceTree.model.get('Demo')?.status.state === 'connected', 60_000);
  });

  it('fires only the tag rows whose values changed, as the same node objects', async () => {
    const tree = api.deviceTree;
    const demo = tree.deviceNode('Demo');
    const tags = tree.getChildren(demo);
    // Past the first reads after connecting, when every tag changes from nothing.
    const piRead = await until('pi read', () => tree.model.tag('Demo', 'pi ABCD')?.value);
    // A later scan read π again (unchanged): its first value's repaint is behind us.
    await until('a second scan', () => (tree.model.tag('Demo', 'pi ABCD')?.value?.ts ?? 0) > piRead.ts);
    const fired: DevicesViewNode[] = [];
    const subscription = tree.onDidChangeTreeData((change) => {
      if (change === undefined) return;
      fired.push(...(Array.isArray(change) ? change : [change]));
    });
    try {
      await until('two repaints of moving values', () => fired.filter((node) => node.kind === 'tag').length >= 4);
    } finally {
      subscription.dispose();
    }
    assert.ok(!fired.includes(demo), 'the device row is not repainted for values: its hover would vanish');
    for (const node of fired) {
      assert.strictEqual(node.kind, 'tag');
      assert.ok(tags.includes(node), `a fired node is the object getChildren handed out (${JSON.stringify(node)})`);
    }
    // Tags that do not change (π) are not repainted at all.
    assert.ok(!fired.some((node) => node.kind === 'tag' && node.tag === 'pi ABCD'), 'an unchanged tag is not repainted');
  });

  it('a tag hover says when it was read and, apart, when it changed', async () => {
    const tree = api.deviceTree;
    const node = tree.getChildren(tree.deviceNode('Demo')).find((n) => n.kind === 'tag' && n.tag === 'pi ABCD')!;
    const read = () => tree.model.tag('Demo', 'pi ABCD')?.value;
    const first = await until('pi read', () => read());
    // The Demo polls every 500 ms and π never changes: its read time moves on, its change time stays.
    const later = await until('a later read of pi', () => (read()!.ts > first.ts ? read() : undefined));
    assert.strictEqual(later.changedAt ?? later.ts, first.changedAt ?? first.ts);
    const item = tree.resolveTreeItem(tree.getTreeItem(node), node);
    assert.ok(item.tooltip instanceof vscode.MarkdownString);
    assert.match(item.tooltip.value, /Read at .* · changed at /);
  });

  it('renders "not answering" as a warning, with the error on the row, menus as for connected', async () => {
    const tree = api.deviceTree;
    const demo = tree.deviceNode('Demo');
    const status = tree.model.get('Demo')!.status;
    const lastError = 'Demo: no reply from unit 1 within 1000 ms';
    try {
      // The state as the gateway reports it for a device that accepts connections and never replies.
      tree.updateStatus({ device: 'Demo', state: 'notAnswering', since: Date.now(), lastError });
      const item = tree.getTreeItem(demo);
      assert.strictEqual(item.contextValue, 'bifrost.device.notAnswering');
      assert.ok(item.iconPath instanceof vscode.ThemeIcon);
      assert.strictEqual(item.iconPath.id, 'warning');
      assert.strictEqual((item.iconPath.color as unknown as { id?: string } | undefined)?.id, 'list.warningForeground');
      assert.match(String(item.description), / · not answering: Demo: no reply from unit 1 within 1000 ms$/);
      assert.match(item.accessibilityInformation?.label ?? '', /^Demo, Not answering, /);
      assert.strictEqual(tree.model.connectedCount, 0, 'not counted as OK');
      assert.strictEqual(tree.model.notAnsweringCount, 1);
    } finally {
      tree.updateStatus({ ...status, since: Date.now() });
    }
    assert.strictEqual(tree.getTreeItem(demo).contextValue, 'bifrost.device.connected');
  });

  it('package.json menus treat "not answering" like connected for Disconnect and Refresh', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const menus = (extension.packageJSON as { contributes: { menus: Record<string, Array<{ command: string; when?: string }>> } }).contributes.menus['view/item/context'];
    const matches = (command: string, state: string) =>
      menus.some((entry) => {
        if (entry.command !== command || !entry.when) return false;
        const pattern = /viewItem =~ \/(.*)\/$/.exec(entry.when)?.[1];
        return pattern !== undefined && new RegExp(pattern).test(`bifrost.device.${state}`);
      });
    for (const command of ['bifrost.disconnect', 'bifrost.refresh']) {
      assert.ok(matches(command, 'notAnswering'), `${command} on a device that is not answering`);
      assert.strictEqual(matches(command, 'notAnswering'), matches(command, 'connected'));
    }
    assert.ok(!matches('bifrost.connect', 'notAnswering'), 'Connect is not offered: it is connected');
  });
});

// The extension in a real extension host: commands registered, the Demo device live
// in the Devices tree, and the bifrost.json round trip (create, break, delete).
// Everything waits by polling against a deadline, never a fixed sleep: the gateway
// starts slower on a busy CI machine than on a laptop.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, until, label } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { DevicesViewNode as DeviceTreeNode } from '../../extension/devices/treeItems';

const COMMANDS = [
  'bifrost.addDevice',
  'bifrost.removeDevice',
  'bifrost.connect',
  'bifrost.disconnect',
  'bifrost.refresh',
  'bifrost.restartGateway',
  'bifrost.showLog',
  'bifrost.createConfig',
  'bifrost.watchTags',
  'bifrost.recordCapture',
  'bifrost.stopRecording',
];

describe('Bifrost extension', function () {
  this.timeout(90_000);
  let api: BifrostApi;

  const roots = (): DeviceTreeNode[] => api.deviceTree.getChildren();
  const findDevice = (name: string): DeviceTreeNode | undefined =>
    roots().find((node) => label(api.deviceTree.getTreeItem(node)) === name);
  const findTag = (device: DeviceTreeNode, name: string): DeviceTreeNode | undefined =>
    api.deviceTree.getChildren(device).find((node) => label(api.deviceTree.getTreeItem(node)) === name);

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    assert.ok(api?.deviceTree, 'activate() returns the test API');
  });

  it('registers every command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, []);
  });

  it('starts the gateway', async () => {
    await until(`the gateway to run (state ${api.gateway.state})`, () => (api.gateway.state === 'running' ? true : undefined), 60_000);
  });

  it('shows the Demo device at the root of the Devices tree, expanded', async () => {
    const demo = await until('the Demo device in the tree', () => findDevice('Demo'));
    const item = api.deviceTree.getTreeItem(demo);
    assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(String(item.contextValue), /^bifrost\.device\./);
    assert.ok(item.id, 'device nodes have a stable id');
  });

  it("lists the Demo device's tags, counter among them", async () => {
    const demo = await until('the Demo device', () => findDevice('Demo'));
    const counter = await until('the counter tag', () => findTag(demo, 'counter'));
    assert.strictEqual(api.deviceTree.getTreeItem(counter).contextValue, 'bifrost.tag');
  });

  it("updates counter's value as the demo counts", async () => {
    const demo = await until('the Demo device', () => findDevice('Demo'));
    const counter = await until('the counter tag', () => findTag(demo, 'counter'));
    const value = (): string | undefined => {
      const description = api.deviceTree.getTreeItem(counter).description;
      return typeof description === 'string' && /^\d+$/.test(description) ? description : undefined;
    };
    const first = await until('a first counter value', value);
    await until(`counter to move on from ${first}`, () => {
      const now = value();
      return now !== undefined && now !== first ? now : undefined;
    });
  });

  describe('gateway supervision', () => {
    const runningPid = (): number | undefined => (api.gateway.state === 'running' ? api.gateway.info?.pid : undefined);

    it('restarts the gateway when it dies, and the Demo device comes back', async () => {
      const pid = await until('a running gateway', runningPid);
      process.kill(pid, 'SIGKILL');
      await until('a new gateway process', () => {
        const next = runningPid();
        return next !== undefined && next !== pid ? next : undefined;
      });
      await until('the Demo device after the restart', () => findDevice('Demo'));
    });

    it('stops after five crashes in three minutes, and Restart Gateway brings it back', async () => {
      // One crash is already counted above; kill each new process as soon as it runs.
      const killed = new Set<number>();
      await until(
        'the supervisor to give up',
        () => {
          if (api.gateway.state === 'stopped') return true;
          const pid = runningPid();
          if (pid !== undefined && !killed.has(pid)) {
            killed.add(pid);
            process.kill(pid, 'SIGKILL');
          }
          return undefined;
        },
        60_000,
      );
      assert.ok(killed.size >= 3, `killed ${killed.size} processes before the supervisor gave up`);
      await until('the tree to empty', () => (roots().length === 0 ? true : undefined));
      await vscode.commands.executeCommand('bifrost.restartGateway');
      await until('a running gateway after Restart', runningPid, 60_000);
      await until('the Demo device after Restart', () => findDevice('Demo'));
    });
  });

  describe('with bifrost.json', () => {
    let configUri: vscode.Uri;

    before(function () {
      const uri = api.configStore.uri;
      if (!uri) this.skip(); // no folder open: nothing to write to
      configUri = uri;
    });

    after(async () => {
      if (!configUri) return;
      await vscode.workspace.fs.delete(configUri).then(undefined, () => undefined);
      await api.configStore.reload();
    });

    it('creates bifrost.json from the demo and keeps the Demo device', async () => {
      await vscode.commands.executeCommand('bifrost.createConfig');
      await until('the config store to see the file', () => (api.configStore.status.kind === 'valid' ? true : undefined));
      await until('the Demo device from the file', () => findDevice('Demo'));
    });

    it('adds a device to the file and shows it beside the Demo device', async () => {
      const device = { name: 'PLC', transport: { kind: 'tcp', host: '127.0.0.1', port: 1 }, unitId: 1, pollMs: 1000, tags: [] };
      await vscode.commands.executeCommand('bifrost.addDevice', device);
      const plc = await until('the PLC device in the tree', () => findDevice('PLC'));
      assert.match(String(api.deviceTree.getTreeItem(plc).description), /^tcp:\/\/127\.0\.0\.1:1 #1( · |$)/);
      // Nothing listens on port 1: the device goes to connecting or error, never connected.
      await until('PLC to report its failure', () => {
        const status = api.deviceTree.model.get('PLC')?.status;
        return (status?.state === 'error' || status?.state === 'connecting') && status.lastError ? status.state : undefined;
      });
      // Why is on the row itself, after the endpoint, not only in the hover.
      assert.match(String(api.deviceTree.getTreeItem(plc).description), /^tcp:\/\/127\.0\.0\.1:1 #1 · .*connection refused/);
      assert.ok(findDevice('Demo'), 'the Demo device stays');
    });

    it('reports a broken file on the offending value and keeps running', async () => {
      const broken = JSON.stringify({ version: 1, devices: [{ name: 'Other', transport: { kind: 'demo' }, pollMs: 1 }] }, null, 2);
      await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(broken));
      await api.configStore.reload();
      const diagnostics = await until('a diagnostic on bifrost.json', () => {
        const found = vscode.languages.getDiagnostics(configUri).filter((d) => d.source === 'bifrost');
        return found.length > 0 ? found : undefined;
      });
      const pollLine = broken.split('\n').findIndex((line) => line.includes('"pollMs"'));
      assert.strictEqual(diagnostics[0].range.start.line, pollLine);
      assert.match(diagnostics[0].message, /devices\[0\]\.pollMs/);
      assert.ok(findDevice('PLC') && findDevice('Demo'), 'the last valid configuration keeps running');
      assert.strictEqual(findDevice('Other'), undefined);
    });

    it('goes back to the built-in demo when the file is deleted', async () => {
      await vscode.workspace.fs.delete(configUri);
      await api.configStore.reload();
      assert.strictEqual(api.configStore.status.kind, 'missing');
      assert.strictEqual(vscode.languages.getDiagnostics(configUri).filter((d) => d.source === 'bifrost').length, 0);
      await until('the built-in Demo device alone', () => (roots().length === 1 && findDevice('Demo') ? true : undefined));
    });
  });
});

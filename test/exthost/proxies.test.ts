// Proxies in a real extension host: a bifrost.json with the demo device and a proxy on a
// free port, started with "Bifrost: Start Proxy", read through with a raw Modbus TCP
// socket, the client seen in the Proxies view's model, a second proxy on a port already
// in use failing with the port named, then "Bifrost: Stop Proxy" closing the port.
// Leaves no file behind. Waits poll against a deadline, never a fixed sleep.
import * as assert from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { EXTENSION_ID, until, freePort, connectOutcome, label, RawModbusClient } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { ProxyInfo } from '../../gateway/api';

const PROXY = 'exthost proxy';
const BUSY = 'busy proxy';

describe('Proxies', function () {
  this.timeout(90_000);
  let api: BifrostApi;
  let config: vscode.Uri | undefined;
  let port = 0;
  let busyPort = 0;
  let blocker: net.Server | undefined;
  let raw: RawModbusClient | undefined;

  before(async function () {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await until('the gateway to run', () => (api.gateway.state === 'running' && api.gateway.client ? true : undefined), 60_000);
    config = api.configStore.uri;
    if (!config) this.skip(); // no folder open: nothing to write to
    const existed = await vscode.workspace.fs.stat(config).then(
      () => true,
      () => false,
    );
    assert.strictEqual(existed, false, 'the suite starts without bifrost.json');
    port = await freePort();
    // A port someone else holds: the second proxy must fail naming it.
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as net.AddressInfo).port;
    const file = {
      version: 1,
      devices: [{ name: 'Demo', transport: { kind: 'demo' }, unitId: 1, pollMs: 500, tags: [{ name: 'counter', address: 'HR:0', type: 'uint16' }] }],
      proxies: [
        { name: PROXY, listen: { host: '127.0.0.1', port }, device: 'Demo', allowedFunctions: 'read-only' },
        { name: BUSY, listen: { host: '127.0.0.1', port: busyPort }, device: 'Demo' },
      ],
    };
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(JSON.stringify(file, null, 2)));
    await api.configStore.reload();
    await api.configStore.whenApplied();
  });

  after(async () => {
    raw?.close();
    blocker?.close();
    await vscode.commands.executeCommand('bifrost.stopAllProxies');
    if (config) {
      await vscode.workspace.fs.delete(config).then(undefined, () => undefined);
      await api.configStore.reload();
      await api.configStore.whenApplied();
    }
  });

  it('registers its commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['bifrost.startProxy', 'bifrost.stopProxy', 'bifrost.stopAllProxies']) assert.ok(registered.has(id), id);
  });

  it('lists the defined proxies, stopped, in the Proxies view', async () => {
    await until('both proxies in the view', () => (api.proxies.getChildren().length === 2 ? true : undefined));
    const items = api.proxies.getChildren().map((node) => api.proxies.getTreeItem(node));
    assert.deepStrictEqual(items.map(label), [PROXY, BUSY]);
    assert.strictEqual(items[0].contextValue, 'bifrost.proxy.stopped');
    assert.strictEqual(items[0].description, `127.0.0.1:${port} · stopped`);
  });

  it('starts a proxy with the command and reads the demo through it', async () => {
    const info = await vscode.commands.executeCommand<ProxyInfo | undefined>('bifrost.startProxy', PROXY);
    assert.ok(info, 'Start Proxy answers the proxy');
    assert.strictEqual(info.state, 'running');
    assert.deepStrictEqual(info.listen, { host: '127.0.0.1', port });
    raw = await RawModbusClient.connect(port);
    const first = await raw.readHolding(0, 10);
    // HR:3 is the demo's fixed negative int16 (-1234 as uint16); HR:10–11 would be π.
    assert.strictEqual(first[3], 0x10000 - 1234);
    const later = await until('the counter (HR:0) to move', async () => {
      const values = await raw!.readHolding(0, 1);
      return values[0] !== first[0] ? values : undefined;
    });
    assert.notStrictEqual(later[0], first[0]);
  });

  it('shows the client under the proxy, with its requests, and the proxy as running', async () => {
    const node = api.proxies.proxyNode(PROXY);
    const clientItem = await until('the client in the view', () => {
      const children = api.proxies.getChildren(node);
      if (children.length !== 1) return undefined;
      const item = api.proxies.getTreeItem(children[0]);
      return /^[1-9]\d* requests?/.test(String(item.description)) ? item : undefined;
    });
    assert.match(label(clientItem), /^127\.0\.0\.1:\d+$/);
    assert.strictEqual(clientItem.contextValue, 'bifrost.proxyClient');
    const proxyItem = api.proxies.getTreeItem(node);
    assert.strictEqual(proxyItem.contextValue, 'bifrost.proxy.running');
    assert.match(String(proxyItem.description), new RegExp(`^127\\.0\\.0\\.1:${port} · 1 client · [\\d.k]+ req/s$`));
    assert.ok(proxyItem.tooltip instanceof vscode.MarkdownString);
    assert.match(proxyItem.tooltip.value, /p50 .* · p95 .* · p99 /);
    assert.strictEqual(api.proxies.model.runningCount, 1);
  });

  it('fails to start a proxy on a port in use, naming host and port', async () => {
    const info = await vscode.commands.executeCommand<ProxyInfo | undefined>('bifrost.startProxy', BUSY);
    assert.strictEqual(info, undefined);
    const busy = await until('the busy proxy in error', () => {
      const proxy = api.proxies.model.get(BUSY);
      return proxy?.state === 'error' ? proxy : undefined;
    });
    assert.match(busy.lastError ?? '', new RegExp(`port ${busyPort} on 127\\.0\\.0\\.1 is already in use`));
    assert.strictEqual(api.proxies.getTreeItem(api.proxies.proxyNode(BUSY)).contextValue, 'bifrost.proxy.error');
  });

  it('stops the proxy with the command: the port is closed and the client gone', async () => {
    const info = await vscode.commands.executeCommand<ProxyInfo | undefined>('bifrost.stopProxy', PROXY);
    assert.strictEqual(info?.state, 'stopped');
    assert.strictEqual(await connectOutcome(port), 'ECONNREFUSED');
    await until('the client to leave the view', () => (api.proxies.getChildren(api.proxies.proxyNode(PROXY)).length === 0 ? true : undefined));
    assert.strictEqual(api.proxies.model.runningCount, 0);
  });
});

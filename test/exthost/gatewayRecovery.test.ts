// The gateway SIGKILLed while a proxy serves a client and a Tag Watch panel is open: the
// extension restarts it, polling resumes, the proxy listens again on its port (it was
// started from the palette, not autoStart) and serves a new connection, and the Tag Watch
// panel gets live values again. The time to each recovery is measured and printed.
// Waits poll against a deadline, never a fixed sleep. Leaves no file behind.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, freePort, RawModbusClient, until } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { TagWatchPanel } from '../../extension/tagWatch/tagWatchPanel';
import type { TagValue } from '../../gateway/api';

const PROXY = 'recovery proxy';

describe('Gateway killed while a proxy and a Tag Watch run', function () {
  this.timeout(120_000);
  let api: BifrostApi;
  let config: vscode.Uri | undefined;
  let port = 0;
  let raw: RawModbusClient | undefined;
  let panel: TagWatchPanel | undefined;

  before(async function () {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    // An earlier suite may have left the supervisor stopped after its crash test: start afresh.
    if (api.gateway.state === 'stopped') await vscode.commands.executeCommand('bifrost.restartGateway');
    await until('the gateway to run', () => (api.gateway.state === 'running' && api.gateway.client ? true : undefined), 60_000);
    config = api.configStore.uri;
    if (!config) this.skip(); // no folder open: nothing to write to
    port = await freePort();
    const file = {
      version: 1,
      devices: [{ name: 'Demo', transport: { kind: 'demo' }, unitId: 1, pollMs: 200, tags: [{ name: 'counter', address: 'HR:0', type: 'uint16' }] }],
      proxies: [{ name: PROXY, listen: { host: '127.0.0.1', port }, device: 'Demo', allowedFunctions: 'read-only' }],
    };
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(JSON.stringify(file, null, 2)));
    await api.configStore.reload();
    await api.configStore.whenApplied();
  });

  after(async () => {
    raw?.close();
    panel?.dispose();
    await vscode.commands.executeCommand('bifrost.stopAllProxies');
    if (config) {
      await vscode.workspace.fs.delete(config).then(undefined, () => undefined);
      await api.configStore.reload();
      await api.configStore.whenApplied();
    }
  });

  it('restarts the gateway; polling, the proxy and the Tag Watch recover (times printed)', async function () {
    const info = await vscode.commands.executeCommand<{ state: string } | undefined>('bifrost.startProxy', PROXY);
    assert.strictEqual(info?.state, 'running');
    raw = await RawModbusClient.connect(port);
    await raw.readHolding(0, 1);

    panel = await vscode.commands.executeCommand<TagWatchPanel | undefined>('bifrost.watchTags', 'Demo');
    assert.ok(panel);
    await until('the Tag Watch ready handshake', () => panel!.controller.isReady);
    // Every value the panel posts to its page, with when it was posted.
    const posted: Array<{ at: number; value: TagValue }> = [];
    const controller = panel.controller;
    const notifyLive = controller.notifyLive.bind(controller);
    controller.notifyLive = (message) => {
      if (message.method === 'values') for (const value of (message.params as { values: TagValue[] }).values) posted.push({ at: Date.now(), value });
      notifyLive(message);
    };
    await until('live values in the panel', () => posted.length > 0);

    const pid = api.gateway.info?.pid;
    assert.ok(pid, 'a running gateway has a pid');
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    const since = (what: string, at: number) => `${what} ${at - killedAt} ms`;
    const gatewayBack = await until('a new gateway', () => (api.gateway.state === 'running' && api.gateway.info?.pid !== pid ? Date.now() : undefined), 60_000);
    const demoPolling = await until(
      'the Demo counter read by the new gateway',
      () => {
        const value = api.deviceTree.model.tag('Demo', 'counter')?.value;
        return value && value.quality === 'good' && value.ts > gatewayBack && api.deviceTree.model.get('Demo')?.status.state === 'connected' ? Date.now() : undefined;
      },
      60_000,
    );
    const proxyBack = await until(
      'the proxy serving a new connection on its port',
      async () => {
        raw?.close();
        raw = await RawModbusClient.connect(port);
        await raw.readHolding(0, 1);
        return Date.now();
      },
      60_000,
    );
    assert.strictEqual(api.proxies.model.get(PROXY)?.state, 'running', 'the Proxies view shows it running again');
    const panelBack = await until(
      'live values in the Tag Watch panel from the new gateway',
      () => posted.find((entry) => entry.at > gatewayBack && entry.value.quality === 'good' && entry.value.ts > gatewayBack)?.at,
      60_000,
    );
    assert.ok(panel.controller.isReady, 'the panel is still ready');
    const figures = [since('gateway running', gatewayBack), since('Demo polled', demoPolling), since('proxy serving', proxyBack), since('Tag Watch live', panelBack)].join(', ');
    console.log(`      recovery after SIGKILL: ${figures}`);
    // The result file lists titles: the figures travel with this one to the runner's output.
    this.test!.title += ` [after SIGKILL: ${figures}]`;
  });
});

// Attach Gateway… in a real extension host: a gateway started by the test beside
// VS Code (`run --config … --serve` with TLS from a self-signed certificate the test
// makes with openssl, and a token file), attached through the command with a
// scripted Prompter answering its prompts (URL, token, trust). Its device and live
// values appear under its own node in the Devices view, beside the local gateway;
// the window's configuration is never applied to it; Detach removes it.
import * as assert from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { EXTENSION_ID, label, until } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { Prompter } from '../../extension/ui/prompter';
import type { DevicesViewNode } from '../../extension/devices/treeItems';
import type { TagWatchSnapshot } from '../../webviews/tagWatch/protocol';
import { makeTestPki, type TestPki } from '../integration/helpers/selfSignedCert';

/** Answers input boxes with the given text (through their validateInput) and warnings with a button, in order. */
class AnsweringPrompter implements Prompter {
  readonly warnings: { message: string; detail?: string; modal?: boolean }[] = [];
  readonly inputs: { title?: string; password?: boolean; value?: string; rejected: string[] }[] = [];

  constructor(private readonly answers: string[]) {}

  showQuickPick<T extends vscode.QuickPickItem>(): Promise<T | undefined> {
    throw new Error('Attach Gateway asks no quick pick');
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const asked = { title: options.title, password: options.password, value: options.value, rejected: [] as string[] };
    this.inputs.push(asked);
    const value = this.answers.shift();
    if (value === undefined) return undefined;
    const verdict = await options.validateInput?.(value);
    if (verdict) {
      asked.rejected.push(typeof verdict === 'string' ? verdict : (verdict.message ?? ''));
      return undefined;
    }
    return value;
  }

  async showWarningMessage<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Promise<T | undefined> {
    this.warnings.push({ message, detail: options.detail, modal: options.modal });
    const press = this.answers.shift();
    return items.find((item) => item === press);
  }
}

interface RemoteGatewayProcess {
  child: ChildProcess;
  url: string;
  stderr: string[];
}

/** `bifrost-gateway run --serve 127.0.0.1:PORT` with TLS and a token file, as a site would run it. */
async function startRemoteGateway(gatewayJs: string, dir: string, pki: TestPki, port = 0, extra: string[] = []): Promise<RemoteGatewayProcess> {
  const child = spawn(process.execPath, [
    gatewayJs, 'run', '--config', path.join(dir, 'bifrost.json'), '--serve', `127.0.0.1:${port}`,
    '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, '--token-file', pki.tokenFile,
    ...extra,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^channel on (wss:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the remote gateway exited (${code}) before serving:\n${stderr.join('\n')}`)));
  });
  return { child, url, stderr };
}

describe('Attach Gateway (a gateway elsewhere, over wss://)', function () {
  this.timeout(120_000);
  let api: BifrostApi;
  let dir: string;
  let remote: RemoteGatewayProcess | undefined;
  let token: string;
  let fingerprint: string;
  let gatewayJs: string;
  let pki: TestPki;
  const renewed: TestPki[] = [];

  const roots = (): DevicesViewNode[] => api.devicesTree.getChildren();
  const remoteId = (): string => `remote:${remote!.url}`;

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await until('the local gateway to run', () => api.gateway.state === 'running' && api.gateway.client !== undefined, 60_000);
    // The site's certificate (self-signed, for 127.0.0.1) and token file, made with openssl.
    pki = makeTestPki('site-a');
    token = pki.token;
    fingerprint = pki.fingerprint256;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-attach-'));
    fs.writeFileSync(path.join(dir, 'bifrost.json'), JSON.stringify({
      version: 1,
      devices: [{ name: 'Site A meter', transport: { kind: 'demo' }, pollMs: 200, tags: [
        { name: 'pi', address: 'HR:10', type: 'float32', order: 'ABCD' },
        { name: 'counter', address: 'HR:0', type: 'uint16' },
      ] }],
      proxies: [{ name: 'Site A SCADA', device: 'Site A meter', listen: { host: '127.0.0.1', port: 0 }, allowedFunctions: 'read-only' }],
    }));
    gatewayJs = path.join(extension.extensionPath, 'dist', 'gateway.js');
    remote = await startRemoteGateway(gatewayJs, dir, pki);
  });

  after(async () => {
    if (remote && api.gateways.get(remoteId())) await vscode.commands.executeCommand('bifrost.detachGateway', remoteId());
    remote?.child.kill('SIGTERM');
    for (const folder of [dir, pki?.dir, ...renewed.map((r) => r.dir)]) if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a wrong token, saying so, and remembers nothing', async () => {
    const prompter = new AnsweringPrompter([remote!.url, 'f'.repeat(48), 'Trust and Attach']);
    // The command reports its failure itself (an error message and the log) and answers undefined.
    const result = await vscode.commands.executeCommand<string | undefined>('bifrost.attachGateway', { prompter });
    assert.strictEqual(result, undefined);
    assert.strictEqual(prompter.warnings.length, 1, 'the certificate was offered before the token was tried');
    assert.strictEqual(api.gateways.get(remoteId()), undefined);
    await until('the gateway to log the wrong token', () => remote!.stderr.some((line) => line.includes('missing or wrong token')));
  });

  it('offers what was typed again after a failure: URL and token when nothing answered, the URL alone after a wrong token', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const nothingThere = `wss://127.0.0.1:${closedPort}/`;
    assert.strictEqual(await vscode.commands.executeCommand('bifrost.attachGateway', { prompter: new AnsweringPrompter([nothingThere, token]) }), undefined);
    const again = new AnsweringPrompter([nothingThere]); // then cancels at the token
    assert.strictEqual(await vscode.commands.executeCommand('bifrost.attachGateway', { prompter: again }), undefined);
    assert.strictEqual(again.inputs[0].value, nothingThere, 'the URL typed before is offered again');
    assert.strictEqual(again.inputs[1].value, token, 'the token need not be typed again after a wrong port');

    assert.strictEqual(await vscode.commands.executeCommand('bifrost.attachGateway', { prompter: new AnsweringPrompter([remote!.url, 'e'.repeat(48), 'Trust and Attach']) }), undefined);
    const afterWrongToken = new AnsweringPrompter([remote!.url]);
    assert.strictEqual(await vscode.commands.executeCommand('bifrost.attachGateway', { prompter: afterWrongToken }), undefined);
    assert.strictEqual(afterWrongToken.inputs[0].value, remote!.url);
    assert.strictEqual(afterWrongToken.inputs[1].value, undefined, 'a token the gateway refused is not offered again');
    assert.strictEqual(api.gateways.get(remoteId()), undefined);
  });

  it('asks to trust the self-signed certificate by its fingerprint, then shows the remote device with live values under its gateway node', async () => {
    const prompter = new AnsweringPrompter(['ws://10.0.4.20:7443', remote!.url, token, 'Trust and Attach']);
    // The first URL is refused by the prompt's validation (plain ws:// to another machine): the script then has no answer for it.
    const refusedFirst = await vscode.commands.executeCommand<string | undefined>('bifrost.attachGateway', { prompter });
    assert.strictEqual(refusedFirst, undefined);
    assert.match(prompter.inputs[0].rejected[0] ?? '', /starts with wss:\/\//);

    const attaching = new AnsweringPrompter([remote!.url, token, 'Trust and Attach']);
    const id = await vscode.commands.executeCommand<string | undefined>('bifrost.attachGateway', { prompter: attaching });
    assert.strictEqual(id, remoteId());
    assert.strictEqual(attaching.inputs[1].password, true, 'the token is typed into a password box');
    assert.strictEqual(attaching.warnings.length, 1);
    assert.strictEqual(attaching.warnings[0].modal, true);
    assert.match(attaching.warnings[0].message, /does not trust: it is self-signed/);
    assert.ok(attaching.warnings[0].message.endsWith(`Trust it for ${remote!.url.replace(/\/$/, '')}?`), attaching.warnings[0].message);
    assert.ok(attaching.warnings[0].detail?.includes(fingerprint), `the fingerprint ${fingerprint} is shown: ${attaching.warnings[0].detail}`);

    await until('the remote gateway connected', () => api.gateways.get(remoteId())?.state === 'running');
    const top = roots();
    assert.deepStrictEqual(top.map((node) => (node.kind === 'gateway' ? node.id : node.kind)), [api.gateway.id, remoteId()]);
    const remoteNode = top[1];
    const remoteItem = api.devicesTree.getTreeItem(remoteNode);
    assert.strictEqual(label(remoteItem), new URL(remote!.url).host);
    assert.strictEqual(remoteItem.description, 'connected');
    assert.strictEqual(remoteItem.contextValue, 'bifrost.gateway.remote');

    const device = await until('the remote device under its gateway node', () =>
      api.devicesTree.getChildren(remoteNode).find((node) => node.kind === 'device' && node.name === 'Site A meter'),
    );
    assert.strictEqual(api.devicesTree.getParent(device), remoteNode);
    const pi = await until('pi read from the remote gateway', () => {
      const tag = api.devicesTree.getChildren(device).find((node) => node.kind === 'tag' && node.tag === 'pi');
      if (!tag) return undefined;
      const item = api.devicesTree.getTreeItem(tag);
      return typeof item.description === 'string' && item.description.startsWith('3.14') ? item : undefined;
    });
    assert.strictEqual(pi.contextValue, 'bifrost.tag.remote', 'no menu that edits this window\'s bifrost.json');
    const counter = () => api.devicesTree.treeOf(remoteId())?.model.tag('Site A meter', 'counter')?.value?.value;
    const first = await until('a counter value', counter);
    await until('the counter moving', () => counter() !== first);

    // The local gateway keeps its own devices under "This machine"; the remote one got nothing of this window's.
    assert.strictEqual(label(api.devicesTree.getTreeItem(top[0])), 'This machine');
    assert.ok(api.devicesTree.getChildren(top[0]).some((node) => node.kind === 'device' && node.name === 'Demo'));
    const remoteClient = api.gateways.get(remoteId())!.client!;
    const { devices } = await remoteClient.request('devices.snapshot', {});
    assert.deepStrictEqual(devices.map((d) => d.name), ['Site A meter']);
    assert.ok(!remote!.stderr.some((line) => line.includes('applying configuration')), 'no configuration was applied to the remote gateway');
  });

  it('opens the Frame Debugger of a remote device against its own gateway, which captured the frames of that device', async () => {
    const device = api.devicesTree.treeOf(remoteId())!.deviceNode('Site A meter');
    const panel = await vscode.commands.executeCommand<{ gateway: { id: string }; controller: { panel: vscode.WebviewPanel; isReady: boolean }; dispose(): void }>('bifrost.openFrameDebugger', device);
    try {
      assert.strictEqual(panel.gateway.id, remoteId());
      assert.strictEqual(panel.controller.panel.title, `Frame Debugger: ${new URL(remote!.url).host}`);
      await until('the ready handshake', () => panel.controller.isReady);
      // The remote gateway was asked for its frames: it records the exchanges of its own device.
      const { frames } = await api.gateways.get(remoteId())!.client!.request('capture.snapshot', {});
      assert.ok(frames.some((frame) => frame.device === 'Site A meter'), 'the remote gateway captured its device\'s frames');
    } finally {
      panel.dispose();
    }
  });

  it('watches a remote device in Tag Watch, against its own gateway', async () => {
    const device = api.devicesTree.treeOf(remoteId())!.deviceNode('Site A meter');
    const panel = await vscode.commands.executeCommand<{ gateway: { id: string }; controller: { panel: vscode.WebviewPanel; isReady: boolean }; dispose(): void }>('bifrost.watchTags', device, [device]);
    try {
      assert.strictEqual(panel.gateway.id, remoteId());
      assert.strictEqual(panel.controller.panel.title, `Watch: Site A meter on ${new URL(remote!.url).host}`);
      await until('the ready handshake', () => panel.controller.isReady);
    } finally {
      panel.dispose();
    }
  });

  it('shows the remote proxies under the gateway in the Proxies view, and stops one there, not here', async () => {
    const top = await until('a gateway node per gateway in the Proxies view', () => {
      const nodes = api.proxiesTree.getChildren();
      return nodes.length === 2 && nodes.every((node) => node.kind === 'gateway') ? nodes : undefined;
    });
    assert.deepStrictEqual(top.map((node) => (node.kind === 'gateway' ? node.id : node.kind)), [api.gateway.id, remoteId()]);
    const proxy = await until('the remote proxy running under its gateway node', () =>
      api.proxiesTree.getChildren(top[1]).find((node) => node.kind === 'proxy' && node.name === 'Site A SCADA' && api.proxiesTree.getTreeItem(node).contextValue === 'bifrost.proxy.running'),
    );
    assert.strictEqual(api.proxiesTree.getParent(proxy), top[1]);
    assert.strictEqual(api.proxies.model.get('Site A SCADA'), undefined, 'the local proxies know nothing of it');

    await vscode.commands.executeCommand('bifrost.stopProxy', proxy);
    const { proxies } = await api.gateways.get(remoteId())!.client!.request('proxy.list', {});
    assert.strictEqual(proxies.find((p) => p.name === 'Site A SCADA')?.state, 'stopped', 'stopped on the remote gateway');
    await until('its row to say stopped', () => api.proxiesTree.getTreeItem(proxy).contextValue === 'bifrost.proxy.stopped');
  });

  it('is attached again after a reload, from the URL and pin in globalState and the token in SecretStorage', async () => {
    // What closing the window does: the connection goes, nothing is forgotten.
    api.attacher.closeAll();
    await until('its node gone', () => api.gateways.get(remoteId()) === undefined && roots().every((node) => node.kind !== 'gateway'));
    // What the next activation does.
    await api.attacher.restore();
    await until('connected again', () => api.gateways.get(remoteId())?.state === 'running');
    const node = api.devicesTree.gatewayNode(remoteId())!;
    await until('its device back under it with a value', () => {
      const device = api.devicesTree.getChildren(node).find((n) => n.kind === 'device' && n.name === 'Site A meter');
      return device && api.devicesTree.treeOf(remoteId())?.model.tag('Site A meter', 'pi')?.value?.quality === 'good';
    });
  });

  it('stops trying, and says so, when the gateway no longer takes the token (no guessing that would lock this address out)', async () => {
    const gateway = api.gateways.get(remoteId())!;
    const port = Number(new URL(remote!.url).port);
    const stop = async (): Promise<void> => {
      const exited = new Promise((resolve) => remote!.child.once('exit', resolve));
      remote!.child.kill('SIGTERM');
      await exited;
    };
    await stop();
    // The site rotated its token: same address, same certificate.
    const rotated = makeTestPki('site-a-rotated');
    renewed.push(rotated);
    remote = await startRemoteGateway(gatewayJs, dir, { ...pki, tokenFile: rotated.tokenFile }, port);
    const refused = await until('the token refused', () => (gateway.state === 'stopped' ? gateway.problem : undefined), 60_000);
    assert.match(refused, /refused the token \(changed on the gateway\?\); Attach Gateway… again with the new one/);
    assert.strictEqual(remote.stderr.filter((line) => line.includes('missing or wrong token')).length, 1, 'one attempt, not a guessing loop');

    // Back with the token this window knows: Restart connects at once.
    await stop();
    remote = await startRemoteGateway(gatewayJs, dir, pki, port);
    await gateway.restart();
    await until('connected again', () => gateway.state === 'running');
  });

  it('shows the gateway unreachable while it is down, and refuses it when it comes back with another certificate', async () => {
    const gateway = api.gateways.get(remoteId())!;
    const node = api.devicesTree.gatewayNode(remoteId())!;
    const port = Number(new URL(remote!.url).port);
    // A Tag Watch open on its device keeps the rows it had, stale, rather than going blank.
    const device = api.devicesTree.treeOf(remoteId())!.deviceNode('Site A meter');
    const panel = await vscode.commands.executeCommand<{ controller: { isReady: boolean }; dispose(): void }>('bifrost.watchTags', device, [device]);
    const watched = panel as unknown as { snapshot(): TagWatchSnapshot };
    await until('the ready handshake', () => panel.controller.isReady);
    await until('a good value in Tag Watch', () => watched.snapshot().rows.some((row) => row.name === 'pi' && row.value?.quality === 'good'));
    const exited = new Promise((resolve) => remote!.child.once('exit', resolve));
    remote!.child.kill('SIGTERM');
    await exited;
    const down = await until('its node to say it is unreachable', () => {
      const description = api.devicesTree.getTreeItem(node).description;
      return typeof description === 'string' && description.startsWith('unreachable: ') ? description : undefined;
    });
    assert.match(down, /ECONNREFUSED|connection refused|socket hang up|closed/);
    assert.strictEqual(gateway.state, 'restarting');
    await until('no stale devices under it while it is out of reach', () => api.devicesTree.getChildren(node).length === 0);
    const staleRows = watched.snapshot().rows;
    panel.dispose();
    assert.deepStrictEqual(staleRows.map((row) => row.name), ['pi', 'counter'], 'the watched rows stay while the gateway is away');
    for (const row of staleRows) {
      assert.strictEqual(row.value?.quality, 'stale', JSON.stringify(row));
      assert.strictEqual(row.value?.error, 'gateway out of reach');
    }
    assert.strictEqual(staleRows[0].value?.value, 3.1415927, 'the last value read is kept');

    // Same address, same token, another certificate: an impostor, or a renewal only the user can accept.
    const renewedPki = makeTestPki('site-a-renewed');
    fs.copyFileSync(pki.tokenFile, renewedPki.tokenFile);
    renewed.push(renewedPki);
    remote = await startRemoteGateway(gatewayJs, dir, renewedPki, port, ['--verbose']);
    const refused = await until('the changed certificate refused', () => (gateway.state === 'stopped' ? gateway.problem : undefined), 60_000);
    assert.ok(refused.includes(`its certificate changed (SHA-256 ${renewedPki.fingerprint256}; trusted was ${fingerprint})`), refused);
    assert.match(String(api.devicesTree.getTreeItem(node).description), /certificate changed/);
    // The handshake failed on the pinned certificate: no upgrade request (which carries the token) ever reached the gateway.
    assert.ok(remote.stderr.some((line) => line.includes('TLS handshake with')), remote.stderr.join('\n'));
    assert.ok(!remote.stderr.some((line) => /refused a channel connection|channel client connected/.test(line)), remote.stderr.join('\n'));
  });

  it('Detach removes its node and its devices and forgets it; the local devices are at the top again', async () => {
    const detached = await vscode.commands.executeCommand<boolean>('bifrost.detachGateway', { kind: 'gateway', id: remoteId() });
    assert.strictEqual(detached, true);
    assert.strictEqual(api.gateways.get(remoteId()), undefined);
    await until('the local devices at the top level again', () => roots().every((node) => node.kind !== 'gateway') && roots().some((node) => node.kind === 'device' && node.name === 'Demo'));
    // Forgotten, token and all: the next activation does not attach it again.
    await api.attacher.restore();
    assert.strictEqual(api.gateways.get(remoteId()), undefined);
  });

  it('attaches the local end of an SSH tunnel over plain ws:// (127.0.0.1 only), with no certificate to trust', async () => {
    // A gateway that serves on its own loopback only, as it would behind `ssh -L`: a token, no TLS.
    const child = spawn(process.execPath, [gatewayJs, 'run', '--config', path.join(dir, 'bifrost.json'), '--serve', '127.0.0.1:0', '--token-file', pki.tokenFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).on('line', (line) => {
          const match = /^channel on (ws:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`the tunnelled gateway exited (${code})`)));
      });
      const prompter = new AnsweringPrompter([url, token]);
      const id = await vscode.commands.executeCommand<string | undefined>('bifrost.attachGateway', { prompter });
      assert.strictEqual(id, `remote:${url}`);
      assert.strictEqual(prompter.warnings.length, 0, 'no certificate to trust');
      await until('its device under it', () => api.devicesTree.treeOf(id)?.model.tag('Site A meter', 'pi')?.value?.quality === 'good');
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('bifrost.detachGateway', id), true);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

// "Bifrost: Start Proxy…" → "New proxy…" in a real extension host. Quick picks and
// input boxes cannot be clicked here, so the command is given a scripted Prompter
// ({ prompter }, see extension/ui/prompter.ts) that answers them the way a
// user would: each typed value goes through the flow's own validateInput, and is only
// accepted when that has no complaint. Everything else is the production path: the
// same command, bifrost.json written or edited through the workspace, the gateway
// applying it and starting the proxy, a raw Modbus TCP socket reading the demo
// device through it. Leaves no file and no running proxy behind. Waits poll against a
// deadline, never a fixed sleep.
import * as assert from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { EXTENSION_ID, until, freePort, connectOutcome, RawModbusClient } from './helpers';
import type { StartProxyOptions } from '../../extension/proxies/proxyCommands';
import type { Prompter } from '../../extension/ui/prompter';
import type { BifrostApi } from '../../extension/main';
import {
  DEMO_BIG_NUMBER,
  DEMO_LAYOUT,
  DEMO_NEGATIVE_VALUE,
  ProxyDefinition,
  parseConfigText,
  type ProxyInfo,
} from '../../gateway/api';

const NEW_PROXY_LABEL = '$(add) New proxy…';
const EXISTING = 'Existing proxy';
const STEP_TITLES = ['Proxy name', 'Device', 'Listen address', 'Port', 'Access'].map((title, i) => `New Proxy (${i + 1}/5): ${title}`);

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// ---- a scripted Prompter ----

/** One answer, in the order the flow asks. */
type Answer =
  /** Quick pick: the item with this label (or matching it). */
  | { pick: string | RegExp; before?: () => Promise<void> }
  /** Input box: each value typed in turn, until one passes validation (none: Escape after the last). */
  | { type: string[] }
  /** Enter: the quick pick's first (preselected) item, or the input box's value as offered. */
  | { enter: true }
  /** Warning: press this button. */
  | { press: string }
  /** Escape, at any kind of prompt. */
  | { escape: true };

interface Asked {
  kind: 'pick' | 'input' | 'warning';
  title?: string;
  labels?: string[];
  /** An input box's initial value. */
  value?: string;
  /** What validation refused, in order. */
  rejected?: { value: string; message: string }[];
  message?: string;
  detail?: string;
  modal?: boolean;
  buttons?: string[];
}

class ScriptedPrompter implements Prompter {
  readonly asked: Asked[] = [];
  readonly unexpected: string[] = [];

  constructor(private readonly answers: Answer[]) {}

  get remaining(): number {
    return this.answers.length;
  }

  private next(kind: Asked['kind'], title: string | undefined): Answer | undefined {
    const answer = this.answers.shift();
    if (!answer) this.unexpected.push(`${kind} "${title ?? ''}" asked after the script ended`);
    return answer;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const asked: Asked = { kind: 'pick', title: options.title, labels: items.map((item) => item.label) };
    this.asked.push(asked);
    const answer = this.next('pick', options.title);
    if (!answer || 'escape' in answer) return undefined;
    if ('enter' in answer) return items[0];
    if (!('pick' in answer)) {
      this.unexpected.push(`a quick pick "${options.title ?? options.placeHolder ?? ''}" where the script has ${JSON.stringify(answer)}`);
      return undefined;
    }
    const wanted = answer.pick;
    const item = items.find((candidate) => (typeof wanted === 'string' ? candidate.label === wanted : wanted.test(candidate.label)));
    if (!item) this.unexpected.push(`no item ${String(wanted)} in ${JSON.stringify(asked.labels)}`);
    await answer.before?.();
    return item;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const asked: Asked = { kind: 'input', title: options.title, value: options.value, rejected: [] };
    this.asked.push(asked);
    const answer = this.next('input', options.title);
    if (!answer || 'escape' in answer) return undefined;
    let tries: string[];
    if ('enter' in answer) tries = [options.value ?? ''];
    else if ('type' in answer) tries = answer.type;
    else {
      this.unexpected.push(`an input box "${options.title ?? ''}" where the script has ${JSON.stringify(answer)}`);
      return undefined;
    }
    // As the real input box: it cannot be accepted while validateInput has a complaint.
    for (const value of tries) {
      const verdict = await options.validateInput?.(value);
      const message = typeof verdict === 'object' && verdict !== null ? verdict.message : verdict;
      if (!message) return value;
      asked.rejected!.push({ value, message });
    }
    return undefined;
  }

  async showWarningMessage<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Promise<T | undefined> {
    this.asked.push({ kind: 'warning', message, detail: options.detail, modal: options.modal, buttons: items });
    const answer = this.next('warning', message);
    if (!answer || 'escape' in answer) return undefined;
    if (!('press' in answer) || !items.includes(answer.press as T)) {
      this.unexpected.push(`warning "${message}" with buttons ${JSON.stringify(items)} where the script has ${JSON.stringify(answer)}`);
      return undefined;
    }
    return answer.press as T;
  }

  /** The script was followed to its end, with no prompt it did not expect. */
  assertDone(): void {
    assert.deepStrictEqual(this.unexpected, []);
    assert.strictEqual(this.remaining, 0, `${this.remaining} answer(s) of the script were never asked for`);
  }
}

/** A proxy's answers come from the demo device: the fixed negative int16 and the uint32 at HR:20–21. */
async function assertDemoAnswers(port: number, host = '127.0.0.1'): Promise<void> {
  const client = await RawModbusClient.connect(port, host);
  try {
    const h = DEMO_LAYOUT.holding;
    const [negative] = await client.readHolding(h.negative, 1);
    assert.strictEqual(negative, 0x10000 + DEMO_NEGATIVE_VALUE);
    const [high, low] = await client.readHolding(h.bigNumber, 2);
    assert.strictEqual(high * 0x10000 + low, DEMO_BIG_NUMBER);
  } finally {
    client.close();
  }
}

describe('New proxy… (Start Proxy)', function () {
  this.timeout(90_000);
  let api: BifrostApi;
  let config: vscode.Uri;
  const blockers: net.Server[] = [];

  const fileText = async (): Promise<string | undefined> =>
    vscode.workspace.fs.readFile(config).then(
      (bytes) => new TextDecoder().decode(bytes),
      () => undefined,
    );
  const proxyNames = (): string[] => api.proxies.model.names();
  const start = (prompter: ScriptedPrompter): Thenable<ProxyInfo | undefined> =>
    vscode.commands.executeCommand<ProxyInfo | undefined>('bifrost.startProxy', { prompter } satisfies StartProxyOptions);

  /** bifrost.json on disk, applied, and any open document of it showing the same text (the flow edits through it). */
  async function writeConfig(text: string): Promise<void> {
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(text));
    await until('an open bifrost.json document to show the new text', () => {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === config.toString());
      return !open || (!open.isDirty && open.getText() === text) ? true : undefined;
    });
    await api.configStore.reload();
    await api.configStore.whenApplied();
    await api.proxies.reload();
  }

  before(async function () {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await until('the gateway to run', () => (api.gateway.state === 'running' && api.gateway.client ? true : undefined), 60_000);
    if (!api.configStore.uri) this.skip(); // no folder open: nothing to write to
    config = api.configStore.uri;
    assert.strictEqual(await fileText(), undefined, 'the suite starts without bifrost.json');
  });

  after(async () => {
    for (const blocker of blockers) blocker.close();
    await vscode.commands.executeCommand('bifrost.stopAllProxies');
    if (config) {
      await vscode.workspace.fs.delete(config).then(undefined, () => undefined);
      await api.configStore.reload();
      await api.configStore.whenApplied();
      await api.proxies.reload();
    }
  });

  it('without bifrost.json: Escape at the last step writes no file; completing it writes the demo and the proxy, which answers on 127.0.0.1', async () => {
    const port = await freePort();
    const answers = (last: Answer): Answer[] => [{ pick: NEW_PROXY_LABEL }, { type: ['Demo for SCADA'] }, { enter: true }, { enter: true }, { type: [String(port)] }, last];

    const cancelled = new ScriptedPrompter(answers({ escape: true }));
    assert.strictEqual(await start(cancelled), undefined);
    cancelled.assertDone();
    assert.strictEqual(await fileText(), undefined, 'Escape writes no file');
    assert.strictEqual(await connectOutcome(port), 'ECONNREFUSED');

    const prompter = new ScriptedPrompter(answers({ enter: true }));
    const info = await start(prompter);
    prompter.assertDone();
    assert.ok(info, 'Start Proxy answers the new proxy');
    assert.strictEqual(info.name, 'Demo for SCADA');
    assert.strictEqual(info.state, 'running');
    assert.deepStrictEqual(info.listen, { host: '127.0.0.1', port });

    // The prompts: the palette pick, then five steps, no warning for 127.0.0.1.
    const [palette, ...steps] = prompter.asked;
    assert.deepStrictEqual(palette.labels, [NEW_PROXY_LABEL], 'no proxy is defined yet: only "New proxy…"');
    assert.deepStrictEqual(
      steps.map((step) => step.title),
      STEP_TITLES,
    );
    assert.deepStrictEqual(steps[1].labels, ['Demo'], 'without a file the demo device is the one to proxy');
    assert.strictEqual(steps[2].labels?.[0], '127.0.0.1', '127.0.0.1 is the first, preselected listen address');
    assert.match(steps[3].value ?? '', /^\d+$/, 'a port is offered');
    assert.strictEqual(await connectOutcome(Number(steps[3].value)), 'ECONNREFUSED', 'the offered port was free');
    assert.deepStrictEqual(steps[4].labels, ['$(lock) Read-only', '$(edit) Read and write']);

    const text = await fileText();
    assert.ok(text !== undefined, 'bifrost.json was written');
    const parsed = parseConfigText(text);
    assert.ok(parsed.ok, `the file is a valid config: ${JSON.stringify(parsed)}`);
    const json = JSON.parse(text) as { devices: { name: string; transport: { kind: string } }[]; proxies: unknown[] };
    assert.deepStrictEqual(
      json.devices.map((device) => [device.name, device.transport.kind]),
      [['Demo', 'demo']],
    );
    assert.deepStrictEqual(json.proxies, [{ name: 'Demo for SCADA', listen: { host: '127.0.0.1', port }, device: 'Demo', allowedFunctions: 'read-only' }]);
    assert.ok(ProxyDefinition.safeParse(json.proxies[0]).success, 'the entry passes the gateway contract');

    await assertDemoAnswers(port);
    // Read-only, as chosen: a write (FC 6) gets exception 01 and never reaches the device.
    const client = await RawModbusClient.connect(port);
    try {
      const reply = await client.request([6, 0, DEMO_LAYOUT.holding.setpoint, 0, 1]);
      assert.deepStrictEqual([...reply], [0x86, 0x01]);
    } finally {
      client.close();
    }
    assert.strictEqual((await vscode.commands.executeCommand<ProxyInfo | undefined>('bifrost.stopProxy', info.name))?.state, 'stopped');
  });

  // The file the next tests start from: 4-space indentation, one-line tags, two devices,
  // and a proxy; the flow must add its entry and leave every other byte as written.
  let original = '';
  let existingPort = 0;

  it('with bifrost.json: appends the proxy and keeps every byte already there; the proxy answers on 127.0.0.1', async () => {
    existingPort = await freePort();
    original = [
      '{',
      '    "version": 1,',
      '    "devices": [',
      '        {',
      '            "name": "Demo",',
      '            "transport": { "kind": "demo" },',
      '            "unitId": 1,',
      '            "pollMs": 500,',
      '            "tags": [',
      '                { "name": "counter", "address": "HR:0", "type": "uint16" },',
      '                { "name": "negative", "address": "HR:3", "type": "int16" }',
      '            ]',
      '        },',
      '        {',
      '            "name": "Line 2",',
      '            "transport": { "kind": "demo" },',
      '            "unitId": 2,',
      '            "tags": [{ "name": "counter", "address": "HR:0", "type": "uint16" }]',
      '        }',
      '    ],',
      '    "proxies": [',
      '        {',
      `            "name": "${EXISTING}",`,
      `            "listen": { "host": "127.0.0.1", "port": ${existingPort} },`,
      '            "device": "Line 2"',
      '        }',
      '    ]',
      '}',
      '',
    ].join('\n');
    await writeConfig(original);
    assert.deepStrictEqual(proxyNames(), [EXISTING]);
    const before = JSON.parse(original) as { proxies: unknown[] };

    const port = await freePort();
    const prompter = new ScriptedPrompter([
      { pick: NEW_PROXY_LABEL },
      { type: ['Boiler for HMI'] },
      { pick: 'Demo' },
      { pick: '127.0.0.1' },
      { type: [String(port)] },
      { pick: '$(edit) Read and write' },
    ]);
    const info = await start(prompter);
    prompter.assertDone();
    assert.strictEqual(info?.state, 'running');
    assert.deepStrictEqual(info.listen, { host: '127.0.0.1', port });
    assert.deepStrictEqual(prompter.asked[0].labels, [`$(radio-tower) ${EXISTING}`, NEW_PROXY_LABEL], 'the defined proxy, then "New proxy…"');
    assert.deepStrictEqual(prompter.asked[2].labels, ['Demo', 'Line 2'], 'the devices of the file');
    assert.ok(!prompter.asked.some((asked) => asked.kind === 'warning'), 'no warning for 127.0.0.1');

    const text = (await fileText())!;
    // Only an insertion: what was there before and after it is byte for byte the original.
    let head = 0;
    while (head < original.length && text[head] === original[head]) head++;
    let tail = 0;
    while (tail < original.length - head && text[text.length - 1 - tail] === original[original.length - 1 - tail]) tail++;
    assert.strictEqual(head + tail, original.length, `the edit only inserts:\n${text}`);
    const inserted = text.slice(head, text.length - tail);
    assert.match(inserted, /^,\n {8}\{\n {12}"name": "Boiler for HMI",/, `the entry is indented like its neighbour:\n${inserted}`);

    const parsed = parseConfigText(text);
    assert.ok(parsed.ok, `the file is a valid config: ${JSON.stringify(parsed)}`);
    const json = JSON.parse(text) as { proxies: unknown[] };
    const entry = { name: 'Boiler for HMI', listen: { host: '127.0.0.1', port }, device: 'Demo' };
    assert.deepStrictEqual(json, { ...JSON.parse(original), proxies: [...before.proxies, entry] });
    assert.ok(ProxyDefinition.safeParse(entry).success, 'the entry passes the gateway contract');
    assert.strictEqual(ProxyDefinition.parse(entry).allowedFunctions, 'all', 'read and write: no allowedFunctions, "all" by default');

    await assertDemoAnswers(port);
    assert.deepStrictEqual(proxyNames(), [EXISTING, 'Boiler for HMI']);
    await vscode.commands.executeCommand('bifrost.stopAllProxies');
    original = text; // the tests below start from here
  });

  it('0.0.0.0 asks for confirmation first; declining writes nothing and asks nothing more', async () => {
    const port = await freePort();
    const prompter = new ScriptedPrompter([{ pick: NEW_PROXY_LABEL }, { type: ['Everywhere'] }, { enter: true }, { pick: '0.0.0.0' }, { escape: true }]);
    assert.strictEqual(await start(prompter), undefined);
    prompter.assertDone();
    const warning = prompter.asked.at(-1)!;
    assert.strictEqual(warning.kind, 'warning', 'the last prompt is the warning: the port is never asked');
    assert.strictEqual(warning.modal, true, 'a modal the user must answer');
    assert.match(warning.message ?? '', /0\.0\.0\.0.*every network interface/);
    assert.match(warning.detail ?? '', /no authentication/);
    assert.match(warning.detail ?? '', /127\.0\.0\.1/);
    assert.deepStrictEqual(warning.buttons, ['Listen on 0.0.0.0']);
    assert.strictEqual(await fileText(), original, 'bifrost.json is unchanged');
    assert.deepStrictEqual(proxyNames(), [EXISTING, 'Boiler for HMI']);
    assert.strictEqual(api.proxies.model.runningCount, 0);
    assert.strictEqual(await connectOutcome(port), 'ECONNREFUSED');
  });

  it('0.0.0.0 confirmed is written as 0.0.0.0 and the proxy answers on every interface, 127.0.0.1 included', async () => {
    const port = await freePort();
    const prompter = new ScriptedPrompter([
      { pick: NEW_PROXY_LABEL },
      { type: ['Everywhere'] },
      { enter: true },
      { pick: '0.0.0.0' },
      { press: 'Listen on 0.0.0.0' },
      { type: [String(port)] },
      { enter: true },
    ]);
    const info = await start(prompter);
    prompter.assertDone();
    assert.strictEqual(info?.state, 'running');
    assert.deepStrictEqual(info.listen, { host: '0.0.0.0', port });
    const json = JSON.parse((await fileText())!) as { proxies: { name: string }[] };
    const entry = json.proxies.find((proxy) => proxy.name === 'Everywhere');
    assert.deepStrictEqual(entry, { name: 'Everywhere', listen: { host: '0.0.0.0', port }, device: 'Demo', allowedFunctions: 'read-only' });
    assert.ok(ProxyDefinition.safeParse(entry).success);
    await assertDemoAnswers(port);
    // Not left listening on every interface for the suites after this one.
    assert.strictEqual((await vscode.commands.executeCommand<ProxyInfo | undefined>('bifrost.stopProxy', 'Everywhere'))?.state, 'stopped');
    original = (await fileText())!;
  });

  it('Escape at any step writes nothing, starts nothing and asks nothing more', async () => {
    const port = await freePort();
    const runningBefore = api.proxies.model.runningCount;
    const namesBefore = proxyNames();
    const full: Answer[] = [
      { pick: NEW_PROXY_LABEL },
      { type: ['Never written'] },
      { enter: true },
      { pick: '$(edit) Another address…' },
      { type: ['127.0.0.1'] },
      { type: [String(port)] },
      { enter: true },
    ];
    for (let step = 0; step < full.length; step++) {
      const prompter = new ScriptedPrompter([...full.slice(0, step), { escape: true }]);
      const result = await start(prompter);
      const where = `Escape at prompt ${step + 1} (${prompter.asked.at(-1)?.title ?? prompter.asked.at(-1)?.kind})`;
      assert.strictEqual(result, undefined, where);
      prompter.assertDone();
      assert.strictEqual(prompter.asked.length, step + 1, `${where}: nothing asked after it`);
      assert.strictEqual(await fileText(), original, `${where}: bifrost.json is unchanged`);
      assert.deepStrictEqual(proxyNames(), namesBefore, where);
      assert.strictEqual(api.proxies.model.runningCount, runningBefore, where);
      assert.strictEqual(await connectOutcome(port), 'ECONNREFUSED', `${where}: nothing listens on ${port}`);
    }
  });

  it('rejects a duplicate or malformed name, a port outside 1–65535, a defined proxy\'s port and a busy port, each with a message naming it', async () => {
    const busy = await listenOn(0);
    blockers.push(busy);
    const busyPort = (busy.address() as net.AddressInfo).port;
    const port = await freePort();
    const prompter = new ScriptedPrompter([
      { pick: NEW_PROXY_LABEL },
      { type: ['', 'bad/name', EXISTING, 'Boiler for HMI', 'Fine name'] },
      { enter: true },
      { pick: '$(edit) Another address…' },
      { type: ['not an address', '127.0.0.1'] },
      { type: ['abc', '0', '65536', String(existingPort), String(busyPort), String(port)] },
      { escape: true },
    ]);
    assert.strictEqual(await start(prompter), undefined);
    prompter.assertDone();
    const [, name, , , host, portStep] = prompter.asked;
    assert.deepStrictEqual(name.rejected, [
      { value: '', message: 'a name cannot be empty' },
      { value: 'bad/name', message: 'use letters, digits, space, "_", "-" or "."' },
      { value: EXISTING, message: `a proxy named "${EXISTING}" already exists` },
      { value: 'Boiler for HMI', message: 'a proxy named "Boiler for HMI" already exists' },
    ]);
    assert.deepStrictEqual(host.rejected, [{ value: 'not an address', message: 'enter an IPv4 or IPv6 address' }]);
    assert.strictEqual(portStep.title, STEP_TITLES[3]);
    assert.deepStrictEqual(portStep.rejected, [
      { value: 'abc', message: 'enter a whole number from 1 to 65535' },
      { value: '0', message: 'port 0 is outside 1–65535' },
      { value: '65536', message: 'port 65536 is outside 1–65535' },
      { value: String(existingPort), message: `proxy "${EXISTING}" is already defined on 127.0.0.1:${existingPort}` },
      { value: String(busyPort), message: `port ${busyPort} on 127.0.0.1 is already in use` },
    ]);
    assert.notStrictEqual(portStep.value, String(busyPort), 'the busy port is not the one offered');
    assert.strictEqual(await fileText(), original, 'bifrost.json is unchanged');
  });

  it('a port taken between the check and the start: the proxy is written, and its start fails naming the port', async () => {
    const port = await freePort();
    const prompter = new ScriptedPrompter([
      { pick: NEW_PROXY_LABEL },
      { type: ['Raced'] },
      { enter: true },
      { enter: true },
      { type: [String(port)] },
      // Someone takes the port after the input box accepted it.
      { pick: '$(lock) Read-only', before: async () => void blockers.push(await listenOn(port)) },
    ]);
    assert.strictEqual(await start(prompter), undefined, 'nothing started');
    prompter.assertDone();
    const raced = await until('the proxy in error', () => {
      const proxy = api.proxies.model.get('Raced');
      return proxy?.state === 'error' ? proxy : undefined;
    });
    assert.match(raced.lastError ?? '', new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    const json = JSON.parse((await fileText())!) as { proxies: { name: string }[] };
    assert.ok(
      json.proxies.some((proxy) => proxy.name === 'Raced'),
      'the definition stays in bifrost.json, to start once the port is free',
    );
  });
});

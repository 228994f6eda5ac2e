/**
 * Bifrost: Start Proxy…, Stop Proxy…, Stop All Proxies — and the short flow behind
 * "New proxy…" that adds a proxy to `bifrost.json` (name, device, listen host, port,
 * read-only or not) and starts it once the gateway applied the file.
 *
 * Each command works on a Proxies view node (the inline actions), on a proxy name
 * (another extension, a test), or from the palette with a pick. Start and stop
 * answer the proxy's new ProxyInfo, so tests can await them.
 *
 * Start Proxy also takes `{ prompter }` (StartProxyOptions): the palette flow, New
 * proxy… included, asks through it instead of `vscode.window` (see ui/prompter.ts).
 */
import * as vscode from 'vscode';
import {
  DEFAULT_PROXY_HOST,
  DEMO_DEVICE_NAME,
  ProxyDefinition,
  READ_ONLY_FUNCTION_CODES,
  demoConfig,
  ipFamily,
  type ProxyDefinitionInput,
  type ProxyInfo,
} from '../../gateway/api';
import { addProxyEdits, deviceNamesInText, proxyNamesInText } from '../config/configEdits';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { ChannelRequestError, type GatewayClient } from '../gateway/gatewayConnection';
import { formatListen } from './proxyFormat';
import { firstListenablePort, newProxyPortProblem } from './portProbe';
import { canStart, canStop, isExposedHost, isWildcardHost, suggestPort } from './proxyModel';
import type { ProxyTreeProvider } from './proxyTree';
import { isProxyNode } from './proxyTreeItems';
import { errorMessage } from '../util/logger';
import type { BifrostContext, GatewayCommandContext } from '../bifrostContext';
import { configUriOrExplain, editConfig, fileExists, writeNewConfig } from '../config/configFile';
import { askText, firstIssue, pickOne, Steps, type Choice } from '../ui/inputSteps';
import { prompterFromArgument, type Prompter } from '../ui/prompter';

export const PROXY_COMMANDS = {
  start: 'bifrost.startProxy',
  stop: 'bifrost.stopProxy',
  stopAll: 'bifrost.stopAllProxies',
} as const;

/** Starting waits for the listening socket and, on a fresh apply, the device session. */
const START_TIMEOUT_MS = 15_000;

function proxyNameFromArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (isProxyNode(arg)) return arg.name;
  return undefined;
}

/** `bifrost.startProxy`'s argument when it is neither a name nor a view node: the palette flow, asked through `prompter`. */
export interface StartProxyOptions {
  prompter: Prompter;
}

/** The gateway's own words, without the "proxy.start: " the channel client puts in front. */
function gatewayMessage(error: unknown): string {
  const text = errorMessage(error);
  return error instanceof ChannelRequestError ? text.replace(/^[\w.]+: /, '') : text;
}

const NEW_PROXY = Symbol('new proxy');

/** The proxies' tree of the gateway a command acts on: the local one's, or an attached gateway's. */
function proxiesOf(ctx: BifrostContext, { gateway }: GatewayCommandContext): ProxyTreeProvider {
  return ctx.proxiesTree.treeOf(gateway.id) ?? ctx.proxies;
}

export async function startProxy(ctx: BifrostContext, gw: GatewayCommandContext, arg?: unknown): Promise<ProxyInfo | undefined> {
  const { client } = gw;
  const proxies = proxiesOf(ctx, gw);
  let name = proxyNameFromArgument(arg);
  if (name === undefined) {
    const prompter = prompterFromArgument(arg);
    await proxies.reload();
    const choices: Choice<string | typeof NEW_PROXY>[] = proxies.model
      .all()
      .filter(canStart)
      .map((proxy) => ({
        label: `$(radio-tower) ${proxy.name}`,
        description: `${formatListen(proxy.listen)} → ${proxy.device}`,
        ...(proxy.lastError ? { detail: proxy.lastError } : {}),
        value: proxy.name,
      }));
    choices.push({ label: '$(add) New proxy…', detail: `Define a proxy in ${CONFIG_FILE_NAME} and start it`, value: NEW_PROXY });
    const picked = await prompter.showQuickPick(choices, { placeHolder: 'Proxy to start', matchOnDescription: true });
    if (!picked) return undefined;
    name = picked.value === NEW_PROXY ? await newProxy(ctx, prompter) : picked.value;
    if (name === undefined) return undefined;
  }
  return start(ctx, client, proxies, name);
}

async function start(ctx: BifrostContext, client: GatewayClient, proxies: ProxyTreeProvider, name: string): Promise<ProxyInfo | undefined> {
  let info: ProxyInfo;
  try {
    info = await client.request('proxy.start', { name }, { timeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof ChannelRequestError && error.code === 'listen_failed') {
      // "proxy "X" cannot listen on 127.0.0.1:5020: port 5020 on 127.0.0.1 is already in use"
      ctx.log.error(gatewayMessage(error));
      void vscode.window.showErrorMessage(`Bifrost: ${gatewayMessage(error)}.`, `Open ${CONFIG_FILE_NAME}`).then(async (choice) => {
        const uri = ctx.configStore.uri;
        if (choice && uri) await vscode.window.showTextDocument(uri);
      });
      await proxies.reload();
      return undefined;
    }
    throw new Error(gatewayMessage(error));
  }
  proxies.apply([info]);
  ctx.log.info(`proxy "${name}" listening on ${formatListen(info.listen)} → ${info.device}`);
  vscode.window.setStatusBarMessage(`$(radio-tower) Proxy "${name}" listening on ${formatListen(info.listen)}`, 5000);
  return info;
}

export async function stopProxy(ctx: BifrostContext, gw: GatewayCommandContext, arg?: unknown): Promise<ProxyInfo | undefined> {
  const { client } = gw;
  const proxies = proxiesOf(ctx, gw);
  let name = proxyNameFromArgument(arg);
  if (name === undefined) {
    await proxies.reload();
    const running = proxies.model.all().filter(canStop);
    if (running.length === 0) {
      void vscode.window.showInformationMessage('No Bifrost proxy is running.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      running.map((proxy) => ({
        label: `$(radio-tower) ${proxy.name}`,
        description: `${formatListen(proxy.listen)} → ${proxy.device}`,
        detail: `${proxy.state} · ${proxy.clients.length} client(s)`,
        name: proxy.name,
      })),
      { placeHolder: 'Proxy to stop', matchOnDescription: true },
    );
    if (!picked) return undefined;
    name = picked.name;
  }
  let info: ProxyInfo;
  try {
    info = await client.request('proxy.stop', { name });
  } catch (error) {
    throw new Error(gatewayMessage(error));
  }
  proxies.apply([info]);
  vscode.window.setStatusBarMessage(`Proxy "${name}" stopped`, 5000);
  return info;
}

export async function stopAllProxies(ctx: BifrostContext, gw: GatewayCommandContext): Promise<number> {
  const { stopped } = await gw.client.request('proxy.stopAll', {});
  await proxiesOf(ctx, gw).reload();
  vscode.window.setStatusBarMessage(stopped === 1 ? 'Stopped 1 proxy' : `Stopped ${stopped} proxies`, 5000);
  return stopped;
}

// ---- New proxy… ----

const NameSchema = ProxyDefinition.shape.name;
const OTHER_HOST = Symbol('another address');
/** Where suggested ports start (the proxies' usual 5020, above the privileged 502). */
const FIRST_SUGGESTED_PORT = 5020;

/** Asks, writes bifrost.json, waits for the gateway to apply it; answers the new proxy's name. */
async function newProxy(ctx: BifrostContext, prompter: Prompter): Promise<string | undefined> {
  const uri = configUriOrExplain(ctx.configStore);
  if (!uri) return undefined;
  const exists = await fileExists(uri);
  const text = exists ? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) : undefined;
  if (text !== undefined && !isJson(text)) {
    throw new Error(`${CONFIG_FILE_NAME} is not valid JSON: fix it first (see the Problems panel), then add the proxy`);
  }
  // Without a file the demo device is what runs: the new file keeps it.
  const devices = text === undefined ? [DEMO_DEVICE_NAME] : deviceNamesInText(text);
  if (devices.length === 0) {
    throw new Error(`${CONFIG_FILE_NAME} defines no devices: add one first (Bifrost: Add Device), then the proxy in front of it`);
  }
  const known = ctx.proxies.model.all();
  const taken = new Set([...known.map((proxy) => proxy.name), ...(text ? proxyNamesInText(text) : [])]);
  const steps = new Steps('New Proxy', 5, prompter);

  const name = await askText(steps, 'Proxy name', 'Shown in the Proxies view, e.g. "Boiler PLC for SCADA"', '', (value) => {
    if (taken.has(value)) return `a proxy named "${value}" already exists`;
    return firstIssue(NameSchema, value);
  });
  if (name === undefined) return undefined;

  const device = await pickOne(steps,
    'Device',
    'The device the clients reach through the proxy',
    devices.map((device) => ({ label: device, value: device })),
  );
  if (device === undefined) return undefined;

  const host = await askHost(steps);
  if (host === undefined) return undefined;

  const usedPorts = new Set(known.map((proxy) => proxy.listen.port));
  const suggested = await firstListenablePort(host, suggestPort(known, FIRST_SUGGESTED_PORT), usedPorts);
  const portText = await askText(steps,
    'Port',
    'The TCP port Modbus clients connect to (502 needs privileges on Linux)',
    String(suggested),
    (value) => newProxyPortProblem(value, host, known),
  );
  if (portText === undefined) return undefined;

  const readOnly = await pickOne(steps, 'Access', 'Which requests may clients send?', [
    {
      label: '$(lock) Read-only',
      description: 'recommended',
      detail: `Function codes ${READ_ONLY_FUNCTION_CODES.join(', ')}; a write gets exception 01 and never reaches the device`,
      value: true,
    },
    { label: '$(edit) Read and write', detail: 'Every function code passes through to the device', value: false },
  ]);
  if (readOnly === undefined) return undefined;

  const proxy: ProxyDefinitionInput = {
    name,
    listen: { host, port: Number(portText) },
    device,
    ...(readOnly ? { allowedFunctions: 'read-only' as const } : {}),
  };
  if (text === undefined) {
    await writeNewConfig(ctx.configStore, uri, { ...demoConfig(), proxies: [proxy] });
  } else if (!(await editConfig(ctx.configStore, uri, (current) => addProxyEdits(current, proxy)))) {
    return undefined;
  }
  await ctx.configStore.whenApplied();
  await ctx.proxies.reload();
  if (!ctx.proxies.model.get(name)) {
    const why = ctx.configStore.status.kind === 'invalid' ? 'has problems (see the Problems panel)' : 'is not saved';
    throw new Error(`proxy "${name}" was added to ${CONFIG_FILE_NAME}, but the file ${why}; fix that, then run Start Proxy again`);
  }
  return name;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function askHost(steps: Steps): Promise<string | undefined> {
  const picked = await pickOne<string | typeof OTHER_HOST>(steps, 'Listen address', 'Which network interface the proxy listens on', [
    { label: DEFAULT_PROXY_HOST, description: 'this machine only (recommended)', value: DEFAULT_PROXY_HOST },
    { label: '0.0.0.0', description: 'every network interface', detail: '$(warning) Any machine on the network can reach the device through it', value: '0.0.0.0' },
    { label: '$(edit) Another address…', description: 'one interface of this machine', value: OTHER_HOST },
  ]);
  if (picked === undefined) return undefined;
  let host = picked;
  if (host === OTHER_HOST) {
    const typed = await steps.prompter.showInputBox({
      title: 'New Proxy: Listen address',
      prompt: 'An IP address of this machine, e.g. 192.168.1.10',
      ignoreFocusOut: true,
      validateInput: (value) => (ipFamily(value.trim()) !== 0 || value.trim() === 'localhost' ? undefined : 'enter an IPv4 or IPv6 address'),
    });
    if (typed === undefined) return undefined;
    host = typed.trim();
  }
  if (!isExposedHost(host)) return host;
  const everywhere = isWildcardHost(host);
  const confirm = await steps.prompter.showWarningMessage(
    everywhere ? `Listen on ${host}: every network interface?` : `Listen on ${host}?`,
    {
      modal: true,
      detail:
        `${everywhere ? 'Every network this machine is on, SCADA and plant networks included,' : 'Anything on that network'} will reach the device through this proxy. ` +
        'Modbus has no authentication: a client that can connect can read and, unless the proxy is read-only, write. ' +
        `Limit it with "allow" (addresses and CIDR ranges) in ${CONFIG_FILE_NAME}, or keep ${DEFAULT_PROXY_HOST}.`,
    },
    `Listen on ${host}`,
  );
  return confirm ? host : undefined;
}

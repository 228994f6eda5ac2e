/**
 * The "New proxy…" flow behind Start Proxy: name, device, listen address (a wildcard
 * or an exposed one is confirmed first), a port that is free and not another proxy's,
 * read-only or not; then the proxy is added to `bifrost.json` (created with the demo
 * device when missing) and the gateway has applied it. Asks through a Prompter.
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
} from '../../gateway/api';
import type { BifrostContext } from '../bifrostContext';
import { addProxyEdits, deviceNamesInText, proxyNamesInText } from '../config/configEdits';
import { configUriOrExplain, editConfig, fileExists, writeNewConfig } from '../config/configFile';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { askText, firstIssue, pickOne, Steps } from '../ui/inputSteps';
import type { Prompter } from '../ui/prompter';
import { firstListenablePort, newProxyPortProblem } from './portProbe';
import { isExposedHost, isWildcardHost, suggestPort } from './proxyModel';

const NameSchema = ProxyDefinition.shape.name;
const OTHER_HOST = Symbol('another address');
/** Where suggested ports start (the proxies' usual 5020, above the privileged 502). */
const FIRST_SUGGESTED_PORT = 5020;

/** Asks, writes bifrost.json, waits for the gateway to apply it; answers the new proxy's name. */
export async function newProxy(ctx: BifrostContext, prompter: Prompter): Promise<string | undefined> {
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

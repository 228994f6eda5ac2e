/**
 * Bifrost: Start Proxy…, Stop Proxy…, Stop All Proxies; Start Proxy's pick offers
 * "New proxy…" (newProxy.ts), and starts the new proxy once the gateway applied the file.
 *
 * Each command works on a Proxies view node (the inline actions), on a proxy name
 * (another extension, a test), or from the palette with a pick. Start and stop
 * answer the proxy's new ProxyInfo, so tests can await them.
 *
 * Start Proxy also takes `{ prompter }` (StartProxyOptions): the palette flow, New
 * proxy… included, asks through it instead of `vscode.window` (see ui/prompter.ts).
 */
import * as vscode from 'vscode';
import type { ProxyInfo } from '../../gateway/api';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { ChannelRequestError, type GatewayClient } from '../gateway/gatewayConnection';
import { formatListen } from './proxyFormat';
import { canStart, canStop } from './proxyModel';
import { isProxyNode } from './proxyTreeItems';
import { errorMessage } from '../util/logger';
import type { BifrostContext, GatewayCommandContext } from '../bifrostContext';
import type { Choice } from '../ui/inputSteps';
import { newProxy } from './newProxy';
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

export async function startProxy(ctx: BifrostContext, { client }: GatewayCommandContext, arg?: unknown): Promise<ProxyInfo | undefined> {
  let name = proxyNameFromArgument(arg);
  if (name === undefined) {
    const prompter = prompterFromArgument(arg);
    await ctx.proxies.reload();
    const choices: Choice<string | typeof NEW_PROXY>[] = ctx.proxies.model
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
  return start(ctx, client, name);
}

async function start(ctx: BifrostContext, client: GatewayClient, name: string): Promise<ProxyInfo | undefined> {
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
      await ctx.proxies.reload();
      return undefined;
    }
    throw new Error(gatewayMessage(error));
  }
  ctx.proxies.apply([info]);
  ctx.log.info(`proxy "${name}" listening on ${formatListen(info.listen)} → ${info.device}`);
  vscode.window.setStatusBarMessage(`$(radio-tower) Proxy "${name}" listening on ${formatListen(info.listen)}`, 5000);
  return info;
}

export async function stopProxy(ctx: BifrostContext, { client }: GatewayCommandContext, arg?: unknown): Promise<ProxyInfo | undefined> {
  let name = proxyNameFromArgument(arg);
  if (name === undefined) {
    await ctx.proxies.reload();
    const running = ctx.proxies.model.all().filter(canStop);
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
  ctx.proxies.apply([info]);
  vscode.window.setStatusBarMessage(`Proxy "${name}" stopped`, 5000);
  return info;
}

export async function stopAllProxies(ctx: BifrostContext, { client }: GatewayCommandContext): Promise<number> {
  const { stopped } = await client.request('proxy.stopAll', {});
  await ctx.proxies.reload();
  vscode.window.setStatusBarMessage(stopped === 1 ? 'Stopped 1 proxy' : `Stopped ${stopped} proxies`, 5000);
  return stopped;
}

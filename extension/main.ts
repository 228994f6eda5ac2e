/**
 * Bifrost's entry point: wires the gateway supervisor, the config store, the
 * Devices view, the status bar and the commands, and registers each for disposal.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { registerDiscovery } from './commands/discover';
import { ConfigStore, CONFIG_FILE_NAME } from './config/configStore';
import { DeviceTreeProvider } from './devices/deviceTree';
import type { DevicesViewNode } from './devices/treeItems';
import { GatewaySupervisor, type GatewayState } from './gateway/supervisor';
import { GatewayStatusBar } from './statusBar';
import { ProxyTreeProvider } from './proxies/proxyTree';
import { registerProxies } from './proxies/registerProxies';
import type { BifrostApi, Services } from './services';
import { setContext } from './util/context';
import { errorMessage } from './util/logger';
import { FrameDebuggerPanels, registerFrameDebugger } from './webviews/frameDebuggerCommands';
import { TagWatchPanels, registerTagWatch } from './webviews/tagWatchCommands';
import { activate as activateRegisters } from './registers/registersCommands';
import { activate as activateTags } from './tags/tagCommands';

export type { BifrostApi } from './services';

export const DEVICES_VIEW_ID = 'bifrost.devices';
const GATEWAY_STATE_CONTEXT = 'bifrost.gatewayState';

let supervisor: GatewaySupervisor | undefined;

export function activate(context: vscode.ExtensionContext): BifrostApi {
  const log = vscode.window.createOutputChannel('Bifrost', { log: true });
  context.subscriptions.push(log);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');

  const gateway = new GatewaySupervisor({
    script: vscode.Uri.joinPath(context.extensionUri, 'dist', 'gateway.js').fsPath,
    log,
    clientName: `bifrost-vscode/${version}`,
  });
  supervisor = gateway;
  const deviceTree = new DeviceTreeProvider(log);
  const configStore = new ConfigStore(gateway, log);
  const proxies = new ProxyTreeProvider(log);
  const treeView = vscode.window.createTreeView<DevicesViewNode>(DEVICES_VIEW_ID, {
    treeDataProvider: deviceTree,
    showCollapseAll: true,
    // Several tags selected at once open one Tag Watch.
    canSelectMany: true,
  });
  context.subscriptions.push(gateway, deviceTree, configStore, treeView, new GatewayStatusBar(gateway, deviceTree));

  const services: Services = { gateway, deviceTree, configStore, log, treeView, proxies };
  context.subscriptions.push(...registerCommands(services));
  context.subscriptions.push(proxies, ...registerProxies(services));
  context.subscriptions.push(...registerDiscovery(services));
  const tagWatch = new TagWatchPanels(services, context.extensionUri);
  context.subscriptions.push(tagWatch, ...registerTagWatch(services, tagWatch));
  const frameDebugger = new FrameDebuggerPanels(services, context.extensionUri);
  context.subscriptions.push(frameDebugger, ...registerFrameDebugger(frameDebugger));
  const registers = activateRegisters(services, context.extensionUri);
  context.subscriptions.push(...registers.disposables, ...activateTags(services));

  context.subscriptions.push(
    gateway.onDidConnect((client) => deviceTree.attach(client)),
    gateway.onDidDisconnect(() => deviceTree.detach()),
    gateway.onDidChangeState((state) => {
      setContext(GATEWAY_STATE_CONTEXT, state, log);
      // A stopped gateway's devices are unknown; an empty tree shows the welcome
      // view's Restart button. While restarting the last state stays visible.
      if (state === 'stopped') deviceTree.clear();
      updateMessage(services);
    }),
    configStore.onDidChange(() => updateMessage(services)),
    deviceTree.onDidChangeDevices(() => updateMessage(services)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('bifrost.gateway')) return;
      log.info('gateway settings changed; restarting the gateway');
      gateway.restart().catch((error: unknown) => log.error(`restart failed: ${errorMessage(error)}`));
    }),
  );

  gateway.start(); // sets bifrost.gatewayState through the listener above
  configStore.reload().catch((error: unknown) => log.error(`reading ${CONFIG_FILE_NAME} failed: ${errorMessage(error)}`));
  return { deviceTree, gateway, configStore, tagWatch, proxies, registers: registers.panels };
}

/**
 * The line above the tree: why the user sees the devices they see. Only over a
 * non-empty tree: a message hides the welcome content, which explains an empty one.
 */
function updateMessage({ treeView, configStore, gateway, deviceTree }: Services): void {
  const state: GatewayState = gateway.state;
  const status = configStore.status;
  if (deviceTree.model.size === 0) {
    treeView.message = undefined;
  } else if (state === 'restarting') {
    treeView.message = 'The gateway stopped unexpectedly and is restarting…';
  } else if (status.kind === 'invalid') {
    treeView.message = `${CONFIG_FILE_NAME} has errors (see Problems); the last valid configuration keeps running.`;
  } else if (status.kind === 'missing') {
    treeView.message = `The built-in Demo device is shown. Create ${CONFIG_FILE_NAME} to add your own devices.`;
  } else if (status.kind === 'noWorkspace') {
    treeView.message = 'The built-in Demo device is shown. Open a folder to add your own devices.';
  } else {
    treeView.message = undefined;
  }
}

/** Closing the gateway's stdin stops it; VS Code waits for this promise (briefly). */
export async function deactivate(): Promise<void> {
  const gateway = supervisor;
  supervisor = undefined;
  await gateway?.stop();
}

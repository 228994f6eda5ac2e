/**
 * Bifrost's entry point: make the context (which owns the gateway connections),
 * let each room set itself up on it, start the local gateway, and answer the test API.
 */
import * as vscode from 'vscode';
import { BifrostContext } from './bifrostContext';
import { activate as activateConfig } from './config/activate';
import { activate as activateDevices } from './devices/activate';
import { activate as activateDiscovery } from './discovery/activate';
import { activate as activateFrameDebugger } from './frameDebugger/activate';
import { activate as activateGateway } from './gateway/activate';
import { GatewaySupervisor } from './gateway/supervisor';
import { activate as activateProxies } from './proxies/activate';
import { activate as activateRegisters } from './registers/activate';
import { activate as activateTags } from './tags/activate';
import { activate as activateTagWatch } from './tagWatch/activate';
import type { BifrostApi } from './bifrostApi';
import { errorMessage } from './util/logger';

export type { BifrostApi } from './bifrostApi';
export { DEVICES_VIEW_ID } from './bifrostContext';

let supervisor: GatewaySupervisor | undefined;

export function activate(extension: vscode.ExtensionContext): BifrostApi {
  const log = vscode.window.createOutputChannel('Bifrost', { log: true });
  extension.subscriptions.push(log);
  const version = String((extension.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const clientName = `bifrost-vscode/${version}`;
  const gateway = new GatewaySupervisor({
    script: vscode.Uri.joinPath(extension.extensionUri, 'dist', 'gateway.js').fsPath,
    log,
    clientName,
  });
  supervisor = gateway;
  const ctx = new BifrostContext(extension, log, gateway);

  const attacher = activateGateway(ctx, clientName);
  // The config room follows connections first: a new gateway gets its configuration before anything else asks it.
  activateConfig(ctx);
  activateDevices(ctx);
  activateDiscovery(ctx);
  activateProxies(ctx);
  const tagWatch = activateTagWatch(ctx);
  activateFrameDebugger(ctx);
  const registers = activateRegisters(ctx);
  activateTags(ctx);

  gateway.start();
  attacher.restore().catch((error: unknown) => log.error(`re-attaching gateways failed: ${errorMessage(error)}`));
  return { deviceTree: ctx.deviceTree, devicesTree: ctx.devicesTree, gateways: ctx.gateways, attacher, gateway, configStore: ctx.configStore, tagWatch, proxies: ctx.proxies, proxiesTree: ctx.proxiesTree, registers };
}

/** Closing the gateway's stdin stops it; VS Code waits for this promise (briefly). */
export async function deactivate(): Promise<void> {
  const gateway = supervisor;
  supervisor = undefined;
  await gateway?.stop();
}

/**
 * The extension's long-lived parts, created once in activate() and handed to the
 * commands. `BifrostApi` is the subset activate() returns, for the extension-host
 * tests (and any extension that depends on this one).
 */
import type * as vscode from 'vscode';
import type { ConfigStore } from './config/configStore';
import type { DeviceTreeProvider } from './devices/deviceTree';
import type { DevicesViewNode } from './devices/treeItems';
import type { GatewaySupervisor } from './gateway/supervisor';
import type { ProxyTreeProvider } from './proxies/proxyTree';
import type { TagWatchPanels } from './webviews/tagWatchCommands';
import type { RegistersPanels } from './registers/registersCommands';

export interface BifrostApi {
  readonly deviceTree: DeviceTreeProvider;
  readonly gateway: GatewaySupervisor;
  readonly configStore: ConfigStore;
  /** The open Tag Watch panels. */
  readonly tagWatch: TagWatchPanels;
  /** The Proxies view's model and provider. */
  readonly proxies: ProxyTreeProvider;
  /** The open Registers panels. */
  readonly registers: RegistersPanels;
}

/** The panels are made from the services, so they are not one of them. */
export interface Services extends Omit<BifrostApi, 'tagWatch' | 'registers'> {
  readonly log: vscode.LogOutputChannel;
  readonly treeView: vscode.TreeView<DevicesViewNode>;
}

/**
 * The proxies' part of activate(): the Proxies view, its status bar item and
 * commands, and keeping the view on the gateway (attach on connect, list again
 * after each config apply, clear when the gateway stops).
 */
import * as vscode from 'vscode';
import { registerProxyCommands } from '../commands/proxyCommands';
import type { Services } from '../services';
import { errorMessage } from '../util/logger';
import { PROXIES_VIEW_ID, ProxyStatusBar } from './proxyStatusBar';
import { ProxyResume } from './proxyResume';
import type { ProxiesViewNode } from './proxyTreeItems';

export function registerProxies(services: Services): vscode.Disposable[] {
  const { proxies, gateway, configStore } = services;
  const view = vscode.window.createTreeView<ProxiesViewNode>(PROXIES_VIEW_ID, { treeDataProvider: proxies, showCollapseAll: false });
  const client = gateway.client;
  if (client) proxies.attach(client);
  const resume = new ProxyResume(services);
  return [
    view,
    new ProxyStatusBar(proxies),
    ...registerProxyCommands(services),
    gateway.onDidConnect((connected) => {
      proxies.attach(connected);
      resume.resume(connected).catch((error: unknown) => services.log.error(`resuming proxies: ${errorMessage(error)}`));
    }),
    gateway.onDidDisconnect(() => {
      resume.remember();
      proxies.detach();
    }),
    gateway.onDidChangeState((state) => {
      if (state === 'stopped') proxies.clear();
    }),
    configStore.onDidApply(() => void proxies.reload()),
  ];
}

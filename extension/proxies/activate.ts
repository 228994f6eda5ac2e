/**
 * The proxies room: the Proxies view, its status bar item and commands, and keeping
 * the view on the gateway (follow each connection, list again after each config
 * apply, clear when the gateway stops, start again what ran before a restart), and
 * on each attached gateway, under its own node.
 */
import * as vscode from 'vscode';
import type { BifrostContext } from '../bifrostContext';
import { errorMessage } from '../util/logger';
import { PROXY_COMMANDS, startProxy, stopAllProxies, stopProxy } from './proxyCommands';
import { PROXIES_VIEW_ID, ProxyStatusBar } from './proxyStatusBar';
import { ProxyResume } from './proxyResume';
import type { ProxiesViewNode } from './proxyTreeItems';
import type { GatewayNode } from '../ui/gatewayGroupedTree';

export function activate(ctx: BifrostContext): void {
  const { proxies, gateway, configStore } = ctx;
  ctx.own(vscode.window.createTreeView<ProxiesViewNode | GatewayNode>(PROXIES_VIEW_ID, { treeDataProvider: ctx.proxiesTree, showCollapseAll: false }));
  ctx.own(new ProxyStatusBar(proxies));
  ctx.registerGatewayCommand(PROXY_COMMANDS.start, (gw, arg) => startProxy(ctx, gw, arg));
  ctx.registerGatewayCommand(PROXY_COMMANDS.stop, (gw, arg) => stopProxy(ctx, gw, arg));
  ctx.registerGatewayCommand(PROXY_COMMANDS.stopAll, (gw) => stopAllProxies(ctx, gw));

  const resume = new ProxyResume(ctx);
  ctx.own(
    ctx.onConnection((client, scope) => {
      proxies.attach(client);
      resume.resume(client).catch((error: unknown) => ctx.log.error(`resuming proxies: ${errorMessage(error)}`));
      scope.add({
        dispose: () => {
          resume.remember();
          proxies.detach();
        },
      });
    }, gateway),
  );
  // An attached gateway's proxies, under its node: looked at and started or stopped there, never resumed from here.
  ctx.own(
    ctx.onConnection((client, scope, attached) => {
      if (attached === gateway) return;
      const tree = ctx.proxiesTree.treeOf(attached.id);
      if (!tree) return;
      tree.attach(client);
      scope.add({
        dispose: () => {
          tree.detach();
          tree.clear();
        },
      });
    }),
  );
  ctx.own(
    gateway.onDidChangeState((state) => {
      if (state === 'stopped') proxies.clear();
    }),
  );
  ctx.own(configStore.onDidApply(() => void proxies.reload()));
}

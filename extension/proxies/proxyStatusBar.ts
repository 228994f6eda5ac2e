/**
 * A small status bar item beside the gateway's: how many proxies run. Hidden while
 * the applied config defines none; a click shows the Proxies view.
 */
import * as vscode from 'vscode';
import { proxyStatusText, proxyStatusTooltip } from './proxyFormat';
import type { ProxyTreeProvider } from './proxyTree';

export const PROXIES_VIEW_ID = 'bifrost.proxies';

export class ProxyStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bifrost.proxies', vscode.StatusBarAlignment.Left, 9);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly proxies: ProxyTreeProvider) {
    this.item.name = 'Bifrost Proxies';
    this.item.command = `${PROXIES_VIEW_ID}.focus`;
    this.subscription = proxies.onDidChangeProxies(() => this.update());
    this.update();
  }

  private update(): void {
    const model = this.proxies.model;
    const text = proxyStatusText(model.runningCount, model.size);
    if (text === undefined) {
      this.item.hide();
      return;
    }
    this.item.text = text;
    this.item.tooltip = `${proxyStatusTooltip(model.runningCount, model.size)}. Click to show the Proxies view.`;
    this.item.accessibilityInformation = { label: proxyStatusTooltip(model.runningCount, model.size) };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

/**
 * The status bar item: is the gateway up, and how many devices are connected.
 * Theme colours for trouble (as rust-analyzer does); a click opens the log.
 */
import * as vscode from 'vscode';
import { SHOW_LOG_COMMAND } from '../bifrostContext';
import type { GatewayConnection } from '../gateway/gatewayConnection';
import type { DeviceTreeProvider } from './deviceTree';

export class GatewayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bifrost.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly gateway: GatewayConnection,
    private readonly devices: DeviceTreeProvider,
  ) {
    this.item.name = 'Bifrost Gateway';
    this.item.command = SHOW_LOG_COMMAND;
    this.subscriptions = [gateway.onDidChangeState(() => this.update()), devices.onDidChangeDevices(() => this.update())];
    this.update();
    this.item.show();
  }

  private update(): void {
    const model = this.devices.model;
    const tooltip = new vscode.MarkdownString(undefined, true);
    this.item.backgroundColor = undefined;
    switch (this.gateway.state) {
      case 'starting':
        this.item.text = '$(sync~spin) Bifrost';
        tooltip.appendMarkdown('Bifrost gateway starting…');
        break;
      case 'restarting':
        this.item.text = '$(sync~spin) Bifrost';
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        tooltip.appendMarkdown('$(warning) The Bifrost gateway stopped unexpectedly and is restarting.');
        break;
      case 'stopped':
        this.item.text = '$(error) Bifrost';
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        tooltip.appendMarkdown('$(error) The Bifrost gateway is not running. Run **Bifrost: Restart Gateway** to start it.');
        break;
      case 'running': {
        const info = this.gateway.info;
        const silent = model.notAnsweringCount;
        // A device that holds the connection open but never replies is not OK: it counts
        // against the total and turns the item to the warning colour.
        this.item.text = `$(${silent > 0 ? 'warning' : 'circuit-board'}) Bifrost ${model.connectedCount}/${model.size}`;
        if (silent > 0) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        tooltip.appendMarkdown(`Bifrost gateway ${info?.version ?? ''} running (pid ${info?.pid ?? '?'})\n\n`);
        tooltip.appendMarkdown(`${model.connectedCount} of ${model.size} device(s) connected and answering`);
        if (silent > 0) tooltip.appendMarkdown(`  \n$(warning) ${silent} connected but not answering`);
        break;
      }
    }
    tooltip.appendMarkdown('\n\nClick to show the log.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Bifrost gateway ${this.gateway.state}` };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

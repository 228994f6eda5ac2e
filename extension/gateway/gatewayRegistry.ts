/**
 * The gateways this window works with: the bundled local gateway, and those attached
 * over the network (Attach Gateway…). Whoever follows connections
 * (BifrostContext.onConnection) follows every gateway in it, or the one it names.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from './gatewayConnection';

export class GatewayRegistry implements vscode.Disposable {
  private readonly gateways: GatewayConnection[] = [];
  private readonly addEmitter = new vscode.EventEmitter<GatewayConnection>();
  /** Fires for each gateway added after the listener subscribed. */
  readonly onDidAdd = this.addEmitter.event;
  private readonly removeEmitter = new vscode.EventEmitter<GatewayConnection>();
  /** Fires for a gateway detached, before it is disposed. */
  readonly onDidRemove = this.removeEmitter.event;

  constructor(
    /** The gateway this window started itself: always present. */
    readonly local: GatewayConnection,
  ) {
    this.gateways.push(local);
  }

  all(): readonly GatewayConnection[] {
    return this.gateways;
  }

  get(id: string): GatewayConnection | undefined {
    return this.gateways.find((gateway) => gateway.id === id);
  }

  add(gateway: GatewayConnection): void {
    if (this.get(gateway.id)) throw new Error(`a gateway "${gateway.id}" is already attached`);
    this.gateways.push(gateway);
    this.addEmitter.fire(gateway);
  }

  /** The attached gateways, in the order they were attached. */
  remotes(): readonly GatewayConnection[] {
    return this.gateways.filter((gateway) => gateway !== this.local);
  }

  remove(id: string): GatewayConnection | undefined {
    const gateway = this.get(id);
    if (!gateway || gateway === this.local) return undefined;
    this.gateways.splice(this.gateways.indexOf(gateway), 1);
    this.removeEmitter.fire(gateway);
    return gateway;
  }

  dispose(): void {
    this.addEmitter.dispose();
    this.removeEmitter.dispose();
  }
}

/**
 * The gateways this window works with. Today that is the bundled local gateway only;
 * gateways reached over the network join the same list, and whoever follows
 * connections (BifrostContext.onConnection) follows every gateway in it.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from './gatewayConnection';

export class GatewayRegistry implements vscode.Disposable {
  private readonly gateways: GatewayConnection[] = [];
  private readonly addEmitter = new vscode.EventEmitter<GatewayConnection>();
  /** Fires for each gateway added after the listener subscribed. */
  readonly onDidAdd = this.addEmitter.event;

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

  dispose(): void {
    this.addEmitter.dispose();
  }
}

/**
 * The extension's one context (after rust-analyzer's editors/code `ctx.ts`): it owns
 * the gateway connections and hands them to the feature rooms, registers their
 * commands, and holds the few models several rooms read (the configuration, the
 * devices, the proxies).
 *
 * Rooms never subscribe to a gateway's connect/disconnect themselves: they call
 * `onConnection((client, scope, gateway) => …)`, which runs for the live connection
 * now and for every new one later, on every gateway the window works with; `scope`
 * is disposed when that connection ends, so whatever the room set up for it goes
 * with it. Commands that need a gateway get a context with its client, never an
 * optional one; when no gateway runs the user is told so once, in one wording.
 */
import * as vscode from 'vscode';
import { ConfigStore } from './config/configStore';
import { DeviceTreeProvider } from './devices/deviceTree';
import { createGatewaysTree, type GatewaysTreeProvider } from './devices/gatewaysTree';
import type { DevicesViewNode } from './devices/treeItems';
import type { GatewayClient, GatewayConnection } from './gateway/gatewayConnection';
import { commandRefusal } from './gateway/gatewayNotice';
import { GatewayRegistry } from './gateway/gatewayRegistry';
import { ProxyTreeProvider } from './proxies/proxyTree';
import type { ProxiesViewNode } from './proxies/proxyTreeItems';
import { GatewayGroupedTree } from './ui/gatewayGroupedTree';
import { gatewayTreeItem } from './ui/gatewayTreeItem';
import { DisposableScope } from './util/disposable';
import { errorMessage } from './util/logger';

export const DEVICES_VIEW_ID = 'bifrost.devices';
export const RESTART_GATEWAY_COMMAND = 'bifrost.restartGateway';
export const SHOW_LOG_COMMAND = 'bifrost.showLog';

/** Called with each new connection; `scope` is disposed when it ends. */
export type ConnectionListener = (client: GatewayClient, scope: DisposableScope, gateway: GatewayConnection) => void;

/** What a command that needs a gateway is handed: the gateway and its live client. */
export interface GatewayCommandContext {
  readonly gateway: GatewayConnection;
  readonly client: GatewayClient;
}

export type CommandHandler = (arg?: unknown, selection?: unknown) => unknown;
export type GatewayCommandHandler = (gateway: GatewayCommandContext, arg?: unknown, selection?: unknown) => unknown;

export class BifrostContext {
  readonly gateways: GatewayRegistry;
  readonly configStore: ConfigStore;
  /** The local gateway's devices. */
  readonly deviceTree: DeviceTreeProvider;
  /** What the Devices view shows: the local devices, and once a gateway is attached, every gateway with its devices. */
  readonly devicesTree: GatewaysTreeProvider;
  readonly devicesView: vscode.TreeView<DevicesViewNode>;
  /** The local gateway's proxies. */
  readonly proxies: ProxyTreeProvider;
  /** What the Proxies view shows: the local proxies, and once a gateway is attached, every gateway with its proxies. */
  readonly proxiesTree: GatewayGroupedTree<ProxiesViewNode, ProxyTreeProvider>;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    local: GatewayConnection & vscode.Disposable,
  ) {
    this.gateways = this.own(new GatewayRegistry(local));
    this.own(local);
    this.configStore = this.own(new ConfigStore(log));
    this.deviceTree = this.own(new DeviceTreeProvider(log));
    this.devicesTree = this.own(createGatewaysTree(this.gateways, this.deviceTree, log));
    this.devicesView = this.own(
      vscode.window.createTreeView<DevicesViewNode>(DEVICES_VIEW_ID, {
        treeDataProvider: this.devicesTree,
        showCollapseAll: true,
        // Several tags selected at once open one Tag Watch.
        canSelectMany: true,
      }),
    );
    this.proxies = this.own(new ProxyTreeProvider(log));
    this.proxiesTree = this.own(
      new GatewayGroupedTree(this.gateways, this.proxies, {
        treeFor: (gateway) => new ProxyTreeProvider(log, gateway.id),
        gatewayItem: (gateway, isLocal) => gatewayTreeItem(gateway, isLocal, undefined),
      }),
    );
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }

  /** Remembered across sessions and workspaces (the attached gateways' URLs and pinned certificates). */
  get globalState(): vscode.Memento {
    return this.extension.globalState;
  }

  /** The OS keychain (the attached gateways' tokens). */
  get secrets(): vscode.SecretStorage {
    return this.extension.secrets;
  }

  /**
   * The gateway the features talk to. One for now, the local one; with several, a
   * feature asks the gateway its device belongs to instead.
   */
  get gateway(): GatewayConnection {
    return this.gateways.local;
  }

  /** Disposed when the extension deactivates. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.extension.subscriptions.push(disposable);
    return disposable;
  }

  /**
   * Runs `listener` for every gateway's live connection (or only `only`'s), now and after
   * each (re)connect; the scope it gets is disposed when that connection ends or its
   * gateway is detached. The returned disposable stops following (and disposes the
   * current scopes): a room hands it to `own`, a panel keeps it for its own lifetime.
   */
  onConnection(listener: ConnectionListener, only?: GatewayConnection): vscode.Disposable {
    const following = new DisposableScope();
    const perGateway = new Map<GatewayConnection, DisposableScope>();
    const follow = (gateway: GatewayConnection): void => {
      if (only !== undefined && gateway !== only) return;
      const scope = new DisposableScope();
      perGateway.set(gateway, scope);
      let current: DisposableScope | undefined;
      const end = (): void => {
        current?.dispose();
        current = undefined;
      };
      const start = (client: GatewayClient): void => {
        end();
        current = new DisposableScope();
        try {
          listener(client, current, gateway);
        } catch (error) {
          this.log.error(`following ${gateway.label} failed: ${errorMessage(error)}`);
        }
      };
      scope.add(gateway.onDidConnect(start));
      scope.add(gateway.onDidDisconnect(end));
      scope.add({ dispose: end });
      if (gateway.client) start(gateway.client);
    };
    for (const gateway of this.gateways.all()) follow(gateway);
    following.add(this.gateways.onDidAdd(follow));
    // A detached gateway: what was set up for its connection goes with it.
    following.add(
      this.gateways.onDidRemove((gateway) => {
        perGateway.get(gateway)?.dispose();
        perGateway.delete(gateway);
      }),
    );
    following.add({ dispose: () => perGateway.forEach((scope) => scope.dispose()) });
    return following;
  }

  /** The gateway a tree node (or a command argument carrying `gateway`, an id) belongs to; the local one otherwise. */
  gatewayOf(arg: unknown): GatewayConnection {
    const id = arg && typeof arg === 'object' && 'gateway' in arg && typeof arg.gateway === 'string' ? arg.gateway : undefined;
    return (id === undefined ? undefined : this.gateways.get(id)) ?? this.gateway;
  }

  /**
   * A command whose failure is reported where the user sees it (an error message and
   * the log), never as an unhandled rejection; what the handler returns is passed on,
   * for tests and other extensions (the palette ignores it).
   */
  registerCommand(id: string, handler: CommandHandler): void {
    this.own(
      vscode.commands.registerCommand(id, async (arg?: unknown, selection?: unknown) => {
        try {
          return await handler(arg, selection);
        } catch (error) {
          this.log.error(`${id} failed: ${errorMessage(error)}`);
          void vscode.window.showErrorMessage(`Bifrost: ${errorMessage(error)}`);
          return undefined;
        }
      }),
    );
  }

  /** A command that needs the gateway: without one running, the user is told why and nothing else happens. */
  registerGatewayCommand(id: string, handler: GatewayCommandHandler): void {
    this.registerCommand(id, (arg, selection) => {
      const gateway = this.gatewayOf(arg);
      const client = gateway.client;
      if (!client) {
        this.explainNotRunning(gateway);
        return undefined;
      }
      return handler({ gateway, client }, arg, selection);
    });
  }

  /** The one message for "this needs the gateway, and it is not there". */
  explainNotRunning(gateway: GatewayConnection): void {
    const refusal = commandRefusal(gateway, gateway === this.gateway);
    this.log.warn(`${gateway.label} is ${gateway.state}: a command that needs it did nothing`);
    void vscode.window.showWarningMessage(refusal.message, ...refusal.actions).then((choice) => {
      if (choice === 'Show Log') this.log.show();
      else if (choice === 'Restart Gateway') void vscode.commands.executeCommand(RESTART_GATEWAY_COMMAND);
    });
  }
}

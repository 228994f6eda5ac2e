/**
 * The workspace's `bifrost.json`: found at the first folder's root, watched, parsed
 * with the contract's schema and applied to the gateway.
 *
 * A broken file never stops a running system: the gateway keeps the last valid
 * configuration, the problems go to the Problems panel on the file itself, and the
 * user is told once per broken spell (not on every save). No file means the
 * built-in demo device (`config.apply` with `null`).
 */
import * as vscode from 'vscode';
import { BifrostConfig, parseConfigText, type ConfigProblem } from '../../gateway/api';
import type { GatewayClient } from '../gateway/gatewayConnection';
import { setContext } from '../util/whenContext';
import { errorMessage, type Logger } from '../util/logger';
import { DIAGNOSTIC_SOURCE, problemsToDiagnostics } from './diagnostics';

export const CONFIG_FILE_NAME = 'bifrost.json';
export const HAS_CONFIG_CONTEXT = 'bifrost.hasConfig';

const EMPTY_CONFIG: BifrostConfig = BifrostConfig.parse({});

/** Saves come in bursts (format on save, watcher create + change): read once per burst. */
const RELOAD_DEBOUNCE_MS = 100;

export type ConfigStatus =
  | { kind: 'noWorkspace' }
  | { kind: 'missing'; uri: vscode.Uri }
  | { kind: 'valid'; uri: vscode.Uri; config: BifrostConfig }
  | { kind: 'invalid'; uri: vscode.Uri; problems: ConfigProblem[] };

export class ConfigStore implements vscode.Disposable {
  private currentStatus: ConfigStatus = { kind: 'noWorkspace' };
  /** What the gateway should run: the last valid config, `null` for the demo, `undefined` before the first read. */
  private desired: BifrostConfig | null | undefined;
  private lastText: string | undefined;
  private warnedInvalid = false;
  private reloadTimer: NodeJS.Timeout | undefined;
  private reloadChain: Promise<void> = Promise.resolve();
  private applyChain: Promise<void> = Promise.resolve();
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly subscriptions: vscode.Disposable[] = [];

  private readonly changeEmitter = new vscode.EventEmitter<ConfigStatus>();
  readonly onDidChange = this.changeEmitter.event;
  /** Fires once the gateway applied a configuration (its proxies may have changed). */
  private readonly applyEmitter = new vscode.EventEmitter<void>();
  readonly onDidApply = this.applyEmitter.event;

  /** The gateway the configuration goes to, while connected. */
  private client: GatewayClient | undefined;

  constructor(private readonly logger: Logger) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.scheduleReload();
      }),
    );
    this.watch();
  }

  /** A new connection gets the configuration at once, and every change after it until the returned disposable ends it. */
  follow(client: GatewayClient): vscode.Disposable {
    this.client = client;
    this.enqueueApply(client);
    return new vscode.Disposable(() => {
      if (this.client === client) this.client = undefined;
    });
  }

  get status(): ConfigStatus {
    return this.currentStatus;
  }

  /** Where `bifrost.json` is or would be; undefined without a workspace folder. */
  get uri(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME) : undefined;
  }

  get hasConfig(): boolean {
    return this.currentStatus.kind === 'valid' || this.currentStatus.kind === 'invalid';
  }

  /** The configuration the gateway runs (or will, once connected); null is the demo. */
  get config(): BifrostConfig | null | undefined {
    return this.desired;
  }

  /** Reads the file now. Resolves once its outcome is applied (or queued for the gateway). */
  reload(): Promise<void> {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    const next = this.reloadChain.then(() => this.read());
    this.reloadChain = next.catch(() => undefined);
    return next;
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.reload().catch((error: unknown) => this.logger.error(`reading ${CONFIG_FILE_NAME} failed: ${errorMessage(error)}`));
    }, RELOAD_DEBOUNCE_MS);
  }

  private watch(): void {
    this.watcher?.dispose();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      this.watcher = undefined;
      return;
    }
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CONFIG_FILE_NAME));
    this.watcher.onDidCreate(() => this.scheduleReload());
    this.watcher.onDidChange(() => this.scheduleReload());
    this.watcher.onDidDelete(() => this.scheduleReload());
  }

  private async read(): Promise<void> {
    const uri = this.uri;
    if (!uri) {
      this.lastText = undefined;
      this.diagnostics.clear();
      this.settle({ kind: 'noWorkspace' }, null);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError) || error.code !== 'FileNotFound') {
        this.logger.warn(`cannot read ${uri.fsPath}: ${errorMessage(error)}; running the demo device`);
      }
      this.lastText = undefined;
      this.diagnostics.clear();
      this.settle({ kind: 'missing', uri }, null);
      return;
    }
    // The watcher and the commands that write the file may both ask for a read.
    if (text === this.lastText && this.currentStatus.kind !== 'missing') return;
    this.lastText = text;
    const parsed = parseConfigText(text);
    if (parsed.ok) {
      this.diagnostics.set(uri, []);
      this.warnedInvalid = false;
      this.logger.info(`${CONFIG_FILE_NAME}: ${parsed.config.devices.length} device(s)`);
      this.settle({ kind: 'valid', uri, config: parsed.config }, parsed.config);
      return;
    }
    this.diagnostics.set(uri, problemsToDiagnostics(text, parsed.problems));
    for (const problem of parsed.problems) this.logger.warn(`${CONFIG_FILE_NAME} ${problem.path}: ${problem.message}`);
    // Keep what runs. If nothing valid was ever read, run no devices rather than the
    // demo: the user has a file, and showing devices from elsewhere would mislead.
    const keeping = this.desired !== undefined;
    this.settle({ kind: 'invalid', uri, problems: parsed.problems }, this.desired ?? EMPTY_CONFIG);
    if (!this.warnedInvalid) {
      this.warnedInvalid = true;
      this.warnInvalid(uri, parsed.problems.length, keeping).catch((error: unknown) => this.logger.error(errorMessage(error)));
    }
  }

  private settle(status: ConfigStatus, desired: BifrostConfig | null | undefined): void {
    const changed = desired !== this.desired;
    this.currentStatus = status;
    this.desired = desired;
    setContext(HAS_CONFIG_CONTEXT, this.hasConfig, this.logger);
    this.changeEmitter.fire(status);
    const client = this.client;
    if (changed && client?.isOpen) this.enqueueApply(client);
  }

  /** Resolves once every apply queued so far has been answered (after `reload`: the file as read). */
  whenApplied(): Promise<void> {
    return this.applyChain;
  }

  /** Applies in order: two quick saves must reach the gateway in the order they were made. */
  private enqueueApply(client: GatewayClient): void {
    this.applyChain = this.applyChain.then(() => this.apply(client));
  }

  private async apply(client: GatewayClient): Promise<void> {
    // On a fresh connection the first read may still be under way.
    await this.reloadChain;
    const config = this.desired;
    if (config === undefined || !client.isOpen) return;
    const source = config === null ? 'demo' : (this.uri?.fsPath ?? CONFIG_FILE_NAME);
    try {
      const { devices } = await client.request('config.apply', { config, source });
      // The tree follows the gateway's devices.changed event, not this result: the
      // event comes before the devices' first status events, this answer after them,
      // with the states as they were when the config was applied.
      this.logger.info(`applied ${config === null ? 'the demo configuration' : CONFIG_FILE_NAME}: ${devices.length} device(s)`);
      this.applyEmitter.fire();
    } catch (error) {
      this.logger.error(`the gateway did not apply the configuration: ${errorMessage(error)}`);
      if (client.isOpen) {
        void vscode.window.showWarningMessage(`Bifrost could not apply ${CONFIG_FILE_NAME}: ${errorMessage(error)}`);
      }
    }
  }

  private async warnInvalid(uri: vscode.Uri, count: number, keeping: boolean): Promise<void> {
    const problems = count === 1 ? '1 problem' : `${count} problems`;
    const consequence = keeping ? 'Bifrost keeps running the last valid configuration.' : 'Its devices start once it is fixed.';
    const choice = await vscode.window.showWarningMessage(
      `${CONFIG_FILE_NAME} has ${problems}. ${consequence}`,
      'Show Problems',
      'Open File',
    );
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === 'Open File') await vscode.window.showTextDocument(uri);
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
    this.diagnostics.dispose();
    this.changeEmitter.dispose();
    this.applyEmitter.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

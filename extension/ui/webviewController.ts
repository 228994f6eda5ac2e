/**
 * One webview panel's plumbing, shared by every Bifrost panel (after GitLens'
 * webviewController): the HTML shell with its CSP, resource roots, the ready
 * handshake, typed requests and notifications, and the hidden-panel rule.
 *
 * The hidden-panel rule (vscode.d.ts): a hidden webview receives no messages, and
 * without retainContextWhenHidden its page is discarded. So while hidden or not yet
 * ready, live notifications (values) are dropped and the panel is marked stale; other
 * notifications wait in a small queue. When the page says `ready` (or a retained page
 * becomes visible again) it gets one SNAPSHOT of the current state, then the queue —
 * never a backlog of every batch it missed.
 */
import * as vscode from 'vscode';
import { formatPath, plainIssues } from '../../gateway/api';
import type { AnyCommands, AnyRequests, CommandHandlers, RequestHandlers } from '../../webviews/shared/messages';
import {
  READY_COMMAND,
  isWebviewToHost,
  type HostToWebview,
  type NotificationOf,
  type WebviewProtocol,
} from '../../webviews/shared/protocol';
import { errorMessage, type Logger } from '../util/logger';
import { makeNonce, renderWebviewHtml } from './html';

/** Queued non-live notifications beyond this are dropped, oldest first: the snapshot covers them. */
const MAX_QUEUED = 100;

export type SnapshotProtocol = WebviewProtocol & { notifications: { snapshot: unknown } };

/** What the page may send: the panel's message definitions (webviews/<panel>/protocol.ts). */
export interface PageMessages<C extends AnyCommands, R extends AnyRequests> {
  commands: C;
  requests: R;
}

export interface WebviewHandlers<P extends SnapshotProtocol, C extends AnyCommands, R extends AnyRequests> {
  /** The panel's whole state, sent after ready and whenever a stale panel is shown. */
  snapshot(): P['notifications']['snapshot'];
  /** One handler per command and request the page may send, each given params its schema validated. */
  commands: CommandHandlers<C>;
  requests: RequestHandlers<R>;
  /** Called when the page is ready or hidden: the owner starts or stops its feeds. */
  onVisibleChange?(visible: boolean): void;
}

export interface WebviewControllerOptions<C extends AnyCommands, R extends AnyRequests> {
  viewType: string;
  title: string;
  /** The bundle's name: dist/webviews/<bundle>.js and .css. */
  bundle: string;
  extensionUri: vscode.Uri;
  log: Logger;
  messages: PageMessages<C, R>;
  column?: vscode.ViewColumn;
}

export class WebviewController<P extends SnapshotProtocol, C extends AnyCommands = AnyCommands, R extends AnyRequests = AnyRequests> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private stale = true;
  private queue: HostToWebview[] = [];
  private handlers: WebviewHandlers<P, C, R> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private disposed = false;

  constructor(private readonly options: WebviewControllerOptions<C, R>) {
    const webviewRoot = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webviews');
    this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      // Snapshots restore the page; retaining a hidden page would cost memory for nothing.
      retainContextWhenHidden: false,
      localResourceRoots: [webviewRoot, vscode.Uri.joinPath(options.extensionUri, 'media')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', 'bifrost.svg');
    const webview = this.panel.webview;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      title: options.title,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, `${options.bundle}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, `${options.bundle}.css`)).toString(),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      this.panel.onDidChangeViewState(() => this.visibilityChanged()),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Connects the panel's logic; kept apart from the constructor so handlers may use `this.panel`. */
  setHandlers(handlers: WebviewHandlers<P, C, R>): void {
    this.handlers = handlers;
  }

  /** Whether the page has said `ready` since it was last (re)loaded: for tests and feeds. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Whether live notifications reach the page now. */
  get isLive(): boolean {
    return this.ready && this.panel.visible;
  }

  set title(title: string) {
    this.panel.title = title;
  }

  /**
   * A high-rate notification: sent only while the page is live; otherwise dropped and
   * made up for by the next snapshot.
   */
  notifyLive(message: NotificationOf<P>): void {
    if (this.isLive) void this.post(message);
    else this.stale = true;
  }

  /** A notification the page must see: queued while it cannot receive. */
  notify(message: NotificationOf<P>): void {
    if (this.isLive) {
      void this.post(message);
      return;
    }
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  /** Sends a fresh snapshot now if the page can take it, else when it can. */
  refresh(): void {
    this.stale = true;
    if (this.isLive) this.sendSnapshot();
  }

  reveal(): void {
    this.panel.reveal();
  }

  private visibilityChanged(): void {
    if (!this.panel.visible) {
      // Without retained context the page is gone; it says `ready` again when shown.
      this.ready = false;
      this.stale = true;
      this.handlers?.onVisibleChange?.(false);
      return;
    }
    if (this.ready && this.stale) this.sendSnapshot();
  }

  private sendSnapshot(): void {
    if (!this.handlers) return;
    this.stale = false;
    void this.post({ kind: 'notification', method: 'snapshot', params: this.handlers.snapshot() });
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) void this.post(message);
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) {
      this.options.log.warn(`${this.options.viewType}: dropped a malformed message from the webview`);
      return;
    }
    if (message.kind === 'command') {
      if (message.method === READY_COMMAND) {
        this.ready = true;
        this.handlers?.onVisibleChange?.(true);
        this.sendSnapshot();
        return;
      }
      const params = this.validate('command', this.options.messages.commands, message.method, message.params);
      if (!params.ok) {
        this.options.log.warn(`${this.options.viewType}: dropped ${params.error}`);
        return;
      }
      const handle = this.handlers?.commands[message.method] as ((params: unknown) => void) | undefined;
      try {
        handle?.(params.value);
      } catch (error) {
        this.options.log.error(`${this.options.viewType}: ${message.method} failed: ${errorMessage(error)}`);
      }
      return;
    }
    const { id, method } = message;
    const handlers = this.handlers;
    if (!handlers) {
      void this.post({ kind: 'response', id, ok: false, error: 'the panel is not ready' });
      return;
    }
    const params = this.validate('request', this.options.messages.requests, method, message.params);
    if (!params.ok) {
      // Answered, so the page's button does not wait for its timeout; nothing was done.
      this.options.log.warn(`${this.options.viewType}: refused ${params.error}`);
      void this.post({ kind: 'response', id, ok: false, error: params.error });
      return;
    }
    const handle = handlers.requests[method] as (params: unknown) => unknown;
    void Promise.resolve()
      .then(() => handle(params.value))
      .then(
        (result) => this.post({ kind: 'response', id, ok: true, result }),
        (error: unknown) => {
          this.options.log.warn(`${this.options.viewType}: ${method} failed: ${errorMessage(error)}`);
          return this.post({ kind: 'response', id, ok: false, error: errorMessage(error) });
        },
      );
  }

  /** The params of a page message, checked against its definition's schema. */
  private validate(
    kind: 'command' | 'request',
    definitions: AnyCommands | AnyRequests,
    method: string,
    params: unknown,
  ): { ok: true; value: unknown } | { ok: false; error: string } {
    const definition = Object.hasOwn(definitions, method) ? definitions[method] : undefined;
    if (!definition) return { ok: false, error: `an unknown ${kind} "${method}"` };
    const parsed = definition.params.safeParse(params ?? {});
    if (!parsed.success) return { ok: false, error: `a malformed ${kind} "${method}": ${plainIssues(parsed.error.issues, formatPath)}` };
    return { ok: true, value: parsed.data };
  }

  private async post(message: HostToWebview): Promise<void> {
    if (this.disposed) return;
    try {
      await this.panel.webview.postMessage(message);
    } catch (error) {
      // The panel was closed while a message was in flight.
      this.options.log.debug(`${this.options.viewType}: postMessage failed: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

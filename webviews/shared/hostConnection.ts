/**
 * The webview's end of the protocol in ./protocol.ts: send commands, await requests,
 * listen to notifications. A request the host never answers rejects after a timeout,
 * so no button stays "busy" forever.
 */
import { READY_COMMAND, type HostToWebview, type WebviewProtocol } from './protocol';
import { postToHost } from './vscodeApi';

const REQUEST_TIMEOUT_MS = 30_000;
/** For requests that show the user a dialog. */
export const USER_REQUEST_TIMEOUT_MS = 30 * 60_000;

export class HostRequestError extends Error {}

export class HostConnection<P extends WebviewProtocol> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void; timer: number }>();
  private readonly handlers = new Map<string, (params: unknown) => void>();

  constructor() {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  /** Tells the host the page is listening; it answers with a snapshot. Call after registering handlers. */
  ready(): void {
    postToHost({ kind: 'command', method: READY_COMMAND, params: {} });
  }

  command<M extends keyof P['commands'] & string>(method: M, params: P['commands'][M]): void {
    postToHost({ kind: 'command', method, params });
  }

  /** `timeoutMs`: longer for requests that wait on the user (a save dialog, a name to type). */
  request<M extends keyof P['requests'] & string>(method: M, params: P['requests'][M]['params'], timeoutMs = REQUEST_TIMEOUT_MS): Promise<P['requests'][M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new HostRequestError(`${method}: no answer from the extension within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
      postToHost({ kind: 'request', id, method, params });
    });
  }

  onNotification<M extends keyof P['notifications'] & string>(method: M, handler: (params: P['notifications'][M]) => void): void {
    this.handlers.set(method, handler as (params: unknown) => void);
  }

  private receive(data: unknown): void {
    if (!data || typeof data !== 'object') return;
    const message = data as HostToWebview;
    if (message.kind === 'response') {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      window.clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new HostRequestError(message.error ?? 'the request failed'));
    } else if (message.kind === 'notification') {
      const handler = this.handlers.get(message.method);
      if (!handler) {
        console.warn(`no handler for notification ${message.method}`);
        return;
      }
      handler(message.params);
    }
  }
}

/**
 * The webview's handle on VS Code: `acquireVsCodeApi()` may be called only once per
 * page, so every module goes through this wrapper. State saved here survives the
 * panel being hidden (its page is discarded: we do not retain context) and a window
 * reload; keep it small (view settings, scroll, selection), never the data, which the
 * host sends again as a snapshot.
 */
import type { WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function postToHost(message: WebviewToHost): void {
  vscode().postMessage(message);
}

/** The saved state, merged over `defaults` so a state from an older version still fits. */
export function getState<S extends object>(defaults: S): S {
  const saved = vscode().getState();
  return saved && typeof saved === 'object' ? { ...defaults, ...(saved as Partial<S>) } : { ...defaults };
}

export function setState<S extends object>(state: S): void {
  vscode().setState(state);
}

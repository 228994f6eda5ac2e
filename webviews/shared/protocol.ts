/**
 * The message protocol between the extension host and a webview, after GitLens'
 * IPC: three kinds of message over postMessage.
 *
 *  - command       webview → host, fire and forget ("ready", "copy these rows");
 *  - request       webview → host with an id, answered by exactly one response
 *                  (a write preview, a CSV export) — the webview awaits it;
 *  - notification  host → webview, unasked (values, a snapshot).
 *
 * Each panel declares its method names and payloads once, as a `WebviewProtocol`
 * (see webviews/tagWatch/protocol.ts); both sides compile against it. Payloads reuse
 * the channel's types from gateway/api and never redefine them. This file holds no
 * runtime code beyond a guard, so the webview bundle pays nothing for it.
 */

/** What a panel's protocol names: its commands, requests and notifications. */
export interface WebviewProtocol {
  commands: Record<string, unknown>;
  requests: Record<string, { params: unknown; result: unknown }>;
  notifications: Record<string, unknown>;
}

/** Sent by every webview once its script runs; the host answers with a snapshot. */
export const READY_COMMAND = 'webview.ready';

export interface CommandMessage<M extends string = string, P = unknown> {
  kind: 'command';
  method: M;
  params: P;
}

export interface RequestMessage<M extends string = string, P = unknown> {
  kind: 'request';
  id: number;
  method: M;
  params: P;
}

export interface ResponseMessage<R = unknown> {
  kind: 'response';
  id: number;
  ok: boolean;
  result?: R;
  /** What went wrong, already worded for the user (the gateway's error message). */
  error?: string;
}

export interface NotificationMessage<M extends string = string, P = unknown> {
  kind: 'notification';
  method: M;
  params: P;
}

export type WebviewToHost = CommandMessage | RequestMessage;
export type HostToWebview = ResponseMessage | NotificationMessage;

/** Typed views of one protocol's messages. */
export type CommandOf<P extends WebviewProtocol> = {
  [M in keyof P['commands'] & string]: CommandMessage<M, P['commands'][M]>;
}[keyof P['commands'] & string];

export type RequestOf<P extends WebviewProtocol> = {
  [M in keyof P['requests'] & string]: RequestMessage<M, P['requests'][M]['params']>;
}[keyof P['requests'] & string];

export type NotificationOf<P extends WebviewProtocol> = {
  [M in keyof P['notifications'] & string]: NotificationMessage<M, P['notifications'][M]>;
}[keyof P['notifications'] & string];

/**
 * The host's check on what a webview posts: the webview runs page script, so its
 * messages are validated like any other boundary (shape only; each handler checks
 * its own params).
 */
export function isWebviewToHost(message: unknown): message is WebviewToHost {
  if (!message || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  if (typeof m.method !== 'string') return false;
  if (m.kind === 'command') return true;
  return m.kind === 'request' && typeof m.id === 'number' && Number.isInteger(m.id);
}

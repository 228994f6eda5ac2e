/**
 * Webview messages declared once, as values (after GitLens' IPC definitions): each
 * command or request a page may send names its method and a zod schema for its
 * params. The page compiles against the types they imply; the host validates every
 * message against the schema before a handler sees it (the page runs script: what it
 * posts is a boundary), so a handler gets typed params and never casts.
 * Imports nothing but zod: the host may import the panels' protocol modules.
 */
import type { z } from 'zod';

/** A page → host command (fire and forget). */
export interface CommandDefinition<M extends string = string, P extends z.ZodType = z.ZodType> {
  readonly kind: 'command';
  readonly method: M;
  readonly params: P;
}

/** A page → host request; `R` is what the host answers (a type only: the host is trusted). */
export interface RequestDefinition<M extends string = string, P extends z.ZodType = z.ZodType, R = unknown> {
  readonly kind: 'request';
  readonly method: M;
  readonly params: P;
  /** Never set: carries the result type. */
  readonly result?: R;
}

export function defineCommand<M extends string, P extends z.ZodType>(method: M, params: P): CommandDefinition<M, P> {
  return { kind: 'command', method, params };
}

/** `defineRequest('write.preview', WriteTarget).answers<WritePreview>()`. */
export function defineRequest<M extends string, P extends z.ZodType>(method: M, params: P): { answers<R>(): RequestDefinition<M, P, R> } {
  return { answers: () => ({ kind: 'request', method, params }) };
}

/** Definitions keyed by their method, for lookup and for the protocol types. */
export function messageSet<const D extends readonly { readonly method: string }[]>(...definitions: D): { readonly [K in D[number] as K['method']]: K } {
  return Object.fromEntries(definitions.map((definition) => [definition.method, definition])) as { readonly [K in D[number] as K['method']]: K };
}

export type AnyCommands = Readonly<Record<string, CommandDefinition>>;
export type AnyRequests = Readonly<Record<string, RequestDefinition>>;

/** What a page sends with each command (the schema's input). */
export type CommandParams<C extends AnyCommands> = { [M in keyof C]: z.input<C[M]['params']> };

/** Each request's params (as the page sends them) and result. */
export type RequestTypes<R extends AnyRequests> = {
  [M in keyof R]: { params: z.input<R[M]['params']>; result: R[M] extends RequestDefinition<string, z.ZodType, infer Result> ? Result : never };
};

/** The handlers a host gives for a set of commands: each gets the validated params. */
export type CommandHandlers<C extends AnyCommands> = { [M in keyof C]: (params: z.output<C[M]['params']>) => void };

/** The handlers a host gives for a set of requests: each gets the validated params and answers the declared result. */
export type RequestHandlers<R extends AnyRequests> = {
  [M in keyof R]: (params: z.output<R[M]['params']>) => Promise<RequestTypes<R>[M]['result']> | RequestTypes<R>[M]['result'];
};

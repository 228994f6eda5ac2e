/**
 * The logging surface the extension's plain modules write to.
 *
 * Structurally a subset of `vscode.LogOutputChannel`, so the real channel is passed
 * in as is, while the modules stay free of `vscode` imports and run under mocha.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/** Whether `level` is at least as severe as `threshold`. */
export function levelAtLeast(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}

/** What `catch (error)` holds, as a message fit for a log line or a notification. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

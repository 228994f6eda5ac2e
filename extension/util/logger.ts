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

export { LOG_LEVELS, isLogLevel, levelAtLeast, type LogLevel } from '../../gateway/api/logLevels';

/** What `catch (error)` holds, as a message fit for a log line or a notification. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

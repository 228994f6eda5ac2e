/**
 * How gateway code reports what happens. The CLI routes entries to stderr and to the
 * channel's `log` event; tests pass a silent or recording logger.
 */
import type { EventData } from '../api/channel';

export type LogLevel = EventData<'log'>['level'];
export type LogEntry = EventData<'log'>;

export interface Logger {
  log(level: LogLevel, message: string, device?: string): void;
}

export const silentLogger: Logger = { log: () => {} };

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function levelAtLeast(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}

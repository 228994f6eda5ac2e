/**
 * How gateway code reports what happens. The CLI routes entries to stderr and to the
 * channel's `log` event; tests pass a silent or recording logger.
 */
import type { EventData } from '../api/channel';
import type { LogLevel } from '../api/logLevels';

export { LOG_LEVELS, levelAtLeast, type LogLevel } from '../api/logLevels';
export type LogEntry = EventData<'log'>;

export interface Logger {
  log(level: LogLevel, message: string, device?: string): void;
}

export const silentLogger: Logger = { log: () => {} };

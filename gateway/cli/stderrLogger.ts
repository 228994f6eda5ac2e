/** Log lines for humans on stderr (stdout belongs to the ready line). */
import { levelAtLeast, type LogLevel, type Logger } from '../engine/logger';

export function stderrLogger(threshold: LogLevel): Logger {
  return {
    log(level, message, device) {
      if (!levelAtLeast(level, threshold)) return;
      const where = device ? ` [${device}]` : '';
      process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)}${where} ${message}\n`);
    },
  };
}

/** One logger feeding several sinks (stderr, the channel's log event). */
export function fanOutLogger(...sinks: Logger[]): Logger & { add(sink: Logger): void } {
  return {
    log(level, message, device) {
      for (const sink of sinks) sink.log(level, message, device);
    },
    add(sink) {
      sinks.push(sink);
    },
  };
}

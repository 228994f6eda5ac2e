/**
 * Reads one line of the gateway's stderr and decides its log level, so the
 * "Bifrost" LogOutputChannel can filter it like its own messages (the channel adds
 * its own timestamp and level; we strip the gateway's copies).
 *
 * Tolerant on purpose: a JSON line (`{"level":"warn","msg":"…"}`), a text line with
 * a level word in front (`warn: …`, `[WARN] …`, `2025-01-01T… ERROR …`), or anything
 * else, which is info (a stack trace from a crash lands here line by line).
 */
import type { LogLevel } from '../util/logger';

export interface LogLine {
  level: LogLevel;
  message: string;
}

const LEVELS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'error',
};

const TEXT_LINE = /^(?:\S*\d{2}:\d{2}:\d{2}\S*\s+)?\[?(trace|debug|info|warn|warning|error|fatal)\]?:?\s+(.*)$/i;

export function parseLogLine(line: string): LogLine {
  const trimmed = line.trimEnd();
  if (trimmed.startsWith('{')) {
    const parsed = parseJsonLine(trimmed);
    if (parsed) return parsed;
  }
  const match = TEXT_LINE.exec(trimmed);
  if (match) return { level: LEVELS[match[1].toLowerCase()], message: match[2] };
  return { level: 'info', message: trimmed };
}

function parseJsonLine(line: string): LogLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const levelText = typeof record.level === 'string' ? record.level.toLowerCase() : undefined;
  const text = typeof record.message === 'string' ? record.message : typeof record.msg === 'string' ? record.msg : undefined;
  if (text === undefined) return undefined;
  const prefix = typeof record.device === 'string' ? `[${record.device}] ` : '';
  return { level: (levelText && LEVELS[levelText]) || 'info', message: prefix + text };
}

/**
 * Splits a byte stream into lines. Chunks end anywhere, so the tail is held back
 * until its newline arrives; `flush` hands over a last unterminated line.
 */
export class LineSplitter {
  private buffer = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line.length > 0) this.onLine(line);
      newline = this.buffer.indexOf('\n');
    }
  }

  flush(): void {
    const rest = this.buffer.replace(/\r$/, '');
    this.buffer = '';
    if (rest.length > 0) this.onLine(rest);
  }
}

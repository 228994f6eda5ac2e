/**
 * Read and validate a bifrost.json for the CLI; every problem listed with its JSON
 * path. The file is read as the extension reads it (a UTF-8 byte order mark, as some
 * Windows editors write, is no error), and only if it is a regular file of a sane
 * size: /dev/zero, a FIFO or a runaway log renamed bifrost.json is refused by name
 * instead of being read until memory runs out.
 */
import fs from 'node:fs';
import { parseConfigText, type BifrostConfig } from '../api/config';
import { StartupError } from './startupError';

/** Far beyond any real configuration (thousands of devices and tags fit in a few MiB). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export function loadConfig(file: string): BifrostConfig {
  const parsed = parseConfigText(readConfigText(file));
  if (parsed.ok) return parsed.config;
  const problems = parsed.problems.map((problem) => `  ${problem.path || '(file)'}: ${problem.message}`).join('\n');
  throw new StartupError(`${file} is not a valid Bifrost configuration:\n${problems}`);
}

/** The file's text without a leading byte order mark; StartupError naming the file when it cannot or must not be read. */
export function readConfigText(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new StartupError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new StartupError(`cannot read ${file}: it is ${kindOf(stat)}, not a regular file; expected a bifrost.json file`);
    if (stat.size > MAX_CONFIG_BYTES) throw new StartupError(`cannot read ${file}: it is ${mib(stat.size)}; a Bifrost configuration is at most ${mib(MAX_CONFIG_BYTES)}`);
    // Read at most one byte past the limit: a file that grows after fstat is still bounded.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_CONFIG_BYTES) + 1);
    let length = 0;
    for (let read = 1; read > 0 && length < buffer.length; length += read) {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_CONFIG_BYTES) throw new StartupError(`cannot read ${file}: it grew past ${mib(MAX_CONFIG_BYTES)} while being read`);
    return stripByteOrderMark(buffer.toString('utf8', 0, length));
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  return 'something other than a file';
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** Flag parsing for the subcommands, on top of node:util's parseArgs, with errors worded for users. */
import { parseArgs } from 'node:util';
import { UsageError } from './usageError';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
export type FlagValues<S extends FlagSpec> = {
  [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean;
};

export function parseFlags<S extends FlagSpec>(command: string, args: readonly string[], spec: S): FlagValues<S> {
  try {
    const { values } = parseArgs({ args: [...args], options: spec, strict: true, allowPositionals: false });
    return { ...values } as FlagValues<S>;
  } catch (error) {
    // parseArgs says "Unknown option '--prot'. To specify a positional argument…"; keep the first sentence.
    const message = (error as Error).message.split('. ')[0];
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), command);
  }
}

export function parsePort(text: string, flag: string, command: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535 (0 picks a free one), not "${text}"`, command);
  }
  return Number(text);
}

/** "127.0.0.1:15502", "[::1]:502", or a bare port (on 127.0.0.1). */
export function parseHostPort(text: string, flag: string, command: string, defaultHost = '127.0.0.1'): { host: string; port: number } {
  if (/^\d+$/.test(text)) return { host: defaultHost, port: parsePort(text, flag, command) };
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`${flag} expects HOST:PORT, like 127.0.0.1:5020, not "${text}"`, command);
  return { host: match[1] ?? match[2], port: parsePort(match[3], flag, command) };
}

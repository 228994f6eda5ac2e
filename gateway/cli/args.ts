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

/** Flags and the positional arguments a command takes (`read URL ADDRESS`): more than `names` is a usage error. */
export function parseCommandLine<S extends FlagSpec>(command: string, args: readonly string[], spec: S, names: readonly string[]): { flags: FlagValues<S>; positionals: (string | undefined)[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: negativesLast(args, spec), options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    const message = (error as Error).message.split('. ')[0];
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), command);
  }
  if (parsed.positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${parsed.positionals[names.length]}": ${command} takes ${names.join(' ')} and options`, command);
  }
  return { flags: { ...parsed.values } as FlagValues<S>, positionals: names.map((_, index) => parsed.positionals[index]) };
}

/**
 * `write URL HR:0 -5`: a negative number is a value, not an option. Such arguments
 * (not the value of a flag before them) go after a `--`, where parseArgs takes them
 * as positionals; URL and ADDRESS are never negative, so the order still holds.
 */
function negativesLast(args: readonly string[], spec: FlagSpec): string[] {
  if (args.includes('--')) return [...args];
  const rest: string[] = [];
  const negatives: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const next = args[index + 1];
    const takesValue = arg.startsWith('--') && !arg.includes('=') && spec[arg.slice(2)]?.type === 'string';
    // "--unit -1" is the flag's value (parseArgs would call it ambiguous): joined, it reaches the flag's own range check.
    if (takesValue && next !== undefined && /^-(\d|\.\d|inf)/i.test(next)) {
      rest.push(`${arg}=${next}`);
      index++;
    } else if (/^-(\d|\.\d|inf)/i.test(arg)) negatives.push(arg);
    else rest.push(arg);
  }
  return negatives.length === 0 ? rest : [...rest, '--', ...negatives];
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
  // ":7443" means every interface to some tools and this machine to others: ask for the host, naming both.
  if (/^:\d+$/.test(text)) {
    throw new UsageError(`${flag} needs a host before "${text}": 0.0.0.0${text} for every interface, 127.0.0.1${text} for this machine only`, command);
  }
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`${flag} expects HOST:PORT, like 127.0.0.1:5020, not "${text}"`, command);
  return { host: match[1] ?? match[2], port: parsePort(match[3], flag, command) };
}

/** A whole number flag within [min, max], or a UsageError saying which range. */
export function parseInteger(text: string, flag: string, min: number, max: number, command: string): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`, command);
  return Number(text);
}

/**
 * `bifrost.json`: the workspace file that holds devices and their tags.
 *
 * One schema serves three readers: the gateway (which applies it), the extension
 * (which validates it on every save and shows errors with their JSON path) and the
 * editor (through the JSON schema generated from this file at build time).
 */
import { z } from 'zod';
import { parseAddress } from './address';

export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_POLL_MS = 1000;
export const DEFAULT_TCP_PORT = 502;

/** A name used as an id in commands, the tree and channel messages. */
const Name = z
  .string()
  .min(1, 'a name cannot be empty')
  .max(64, 'a name is at most 64 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_. -]*$/, 'use letters, digits, space, "_", "-" or "."');

export const TcpTransport = z
  .object({
    kind: z.literal('tcp'),
    host: z.string().min(1).describe('Host name or IP address of the device'),
    port: z.number().int().min(1).max(65535).default(DEFAULT_TCP_PORT),
  })
  .describe('Modbus TCP (MBAP framing)');

/** The gateway's built-in simulator: what a first-time user sees live. */
export const DemoTransport = z
  .object({ kind: z.literal('demo') })
  .describe("The gateway's built-in demo device (a simulator served on 127.0.0.1)");

export const Transport = z.discriminatedUnion('kind', [TcpTransport, DemoTransport]);

export const DataType = z.enum(['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32']);
export type DataType = z.infer<typeof DataType>;

/**
 * Byte and word order of multi-register values, named by where bytes A (most
 * significant) to D land on the wire: ABCD is big-endian words in big-endian
 * order (the Modbus default), CDAB swaps the words, BADC swaps bytes in each
 * word, DCBA is fully little-endian.
 */
export const WordOrder = z.enum(['ABCD', 'CDAB', 'BADC', 'DCBA']);
export type WordOrder = z.infer<typeof WordOrder>;

export const Tag = z
  .object({
    name: Name,
    address: z
      .string()
      .describe('HR:0, IR:7, CO:12, DI:3, HR:10.3 (bit in register), or Modicon 40001')
      .superRefine((text, ctx) => {
        const parsed = parseAddress(text);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
      }),
    type: DataType.default('uint16'),
    order: WordOrder.default('ABCD'),
    scale: z.number().default(1).describe('value = raw × scale + offset'),
    offset: z.number().default(0),
    unit: z.string().max(16).optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((tag, ctx) => {
    const parsed = parseAddress(tag.address);
    if (!parsed.ok) return;
    const bitTable = parsed.address.table === 'coil' || parsed.address.table === 'discreteInput';
    const bitInRegister = parsed.address.bit !== undefined;
    if ((bitTable || bitInRegister) && tag.type !== 'bool') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `address ${tag.address} holds a single bit: type must be "bool", not "${tag.type}"`,
      });
    }
    if (!bitTable && !bitInRegister && tag.type === 'bool') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `type "bool" on register ${tag.address} needs a bit index, like ${tag.address}.0`,
      });
    }
  });
export type Tag = z.infer<typeof Tag>;

export const Device = z
  .object({
    name: Name,
    transport: Transport,
    unitId: z.number().int().min(0).max(255).default(1),
    timeoutMs: z.number().int().min(10).max(60_000).default(DEFAULT_TIMEOUT_MS),
    pollMs: z.number().int().min(10).max(3_600_000).default(DEFAULT_POLL_MS),
    enabled: z.boolean().default(true).describe('Connect and poll when the gateway starts'),
    tags: z.array(Tag).default([]),
  })
  .strict()
  .superRefine((device, ctx) => {
    checkUniqueNames(device.tags, ctx, 'tags', 'tag');
  });
export type Device = z.infer<typeof Device>;
export type DeviceInput = z.input<typeof Device>;

export const BifrostConfig = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    devices: z.array(Device).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    checkUniqueNames(config.devices, ctx, 'devices', 'device');
  });
export type BifrostConfig = z.infer<typeof BifrostConfig>;
export type BifrostConfigInput = z.input<typeof BifrostConfig>;

function checkUniqueNames(items: { name: string }[], ctx: z.RefinementCtx, key: string, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const first = seen.get(item.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key, index, 'name'],
        message: `duplicate ${what} name "${item.name}" (first used at ${key}[${first}])`,
      });
    } else {
      seen.set(item.name, index);
    }
  });
}

/** One problem in a config file, located by its JSON path (`devices[0].tags[2].address`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

export type ConfigParseResult = { ok: true; config: BifrostConfig } | { ok: false; problems: ConfigProblem[] };

/** Parse the text of a `bifrost.json`, reporting JSON syntax and schema errors alike. */
export function parseConfigText(text: string): ConfigParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return parseConfig(json);
}

export function parseConfig(json: unknown): ConfigParseResult {
  const result = BifrostConfig.safeParse(json);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

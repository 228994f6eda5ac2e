/**
 * `bifrost.json`: the workspace file that holds devices and their tags.
 *
 * One schema serves three readers: the gateway (which applies it), the extension
 * (which validates it on every save and shows errors with their JSON path) and the
 * editor (through the JSON schema generated from this file at build time).
 */
import { z } from 'zod';
import { REGISTER_WIDTHS, WORD_ORDERS } from './codec/registerCodec';
import { parseAddress } from './address';
import { hostName } from './hostName';
import { unknownFieldHint } from './fieldSuggestion';
import { intIn, plainIssueText } from './plainIssues';
import { ProxyDefinition, checkProxies } from './proxyConfig';
import { WatchList, checkWatches } from './watchConfig';
import { RegisterView, checkRegisterViews } from './registerViewConfig';
import { MetricsConfig } from './metricsConfig';
import { MqttConfig } from './mqttConfig';

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
    host: hostName().describe('Host name or IP address of the device'),
    port: intIn(1, 65535).default(DEFAULT_TCP_PORT),
  })
  .strict()
  .describe('Modbus TCP (MBAP framing)');

/** RTU frames (with CRC) carried over a TCP socket: serial-to-Ethernet converters. */
export const RtuOverTcpTransport = z
  .object({
    kind: z.literal('rtutcp'),
    host: hostName().describe('Host name or IP address of the converter'),
    port: intIn(1, 65535),
  })
  .strict()
  .describe('RTU over TCP (a serial-to-Ethernet converter in transparent mode)');

export const Parity = z.enum(['none', 'even', 'odd']);
export type Parity = z.infer<typeof Parity>;

const serialLine = {
  path: z.string().min(1).describe('Serial port: /dev/ttyUSB0, COM3'),
  baudRate: z.number().int().min(300).max(4_000_000).default(9600),
  parity: Parity.default('even').describe('The spec default is even parity'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
};

export const RtuTransport = z
  .object({ kind: z.literal('rtu'), ...serialLine, dataBits: z.literal(8).default(8) })
  .strict()
  .describe('Modbus RTU over a serial line (CRC-16)');

export const AsciiTransport = z
  .object({ kind: z.literal('ascii'), ...serialLine, dataBits: z.union([z.literal(7), z.literal(8)]).default(7) })
  .strict()
  .describe('Modbus ASCII over a serial line (LRC)');

/** The gateway's built-in simulator: what a first-time user sees live. */
export const DemoTransport = z
  .object({ kind: z.literal('demo') })
  .strict()
  .describe("The gateway's built-in demo device (a simulator served on 127.0.0.1)");

// Every transport is strict: "baud": 19200 (the field is baudRate) or "prot": 5020 must be an error, not a device polled at 9600 baud or port 502.
export const Transport = z.discriminatedUnion('kind', [
  TcpTransport,
  RtuOverTcpTransport,
  RtuTransport,
  AsciiTransport,
  DemoTransport,
]);
export type Transport = z.infer<typeof Transport>;
export type SerialTransport = z.infer<typeof RtuTransport> | z.infer<typeof AsciiTransport>;

export function isSerialTransport(transport: Transport): transport is SerialTransport {
  return transport.kind === 'rtu' || transport.kind === 'ascii';
}

export const DataType = z.enum([
  'bool',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
  'string',
  'bcd16',
  'bcd32',
]);
export type DataType = z.infer<typeof DataType>;

/** Registers each type occupies; `string` takes its `length`. The table lives in the Buffer-free decode core (codec/registerCodec.ts). */
export const REGISTERS_PER_TYPE: Record<Exclude<DataType, 'bool' | 'string'>, number> = REGISTER_WIDTHS;

/**
 * Byte and word order of multi-register values, named by where bytes A (most
 * significant) to D land on the wire: ABCD is big-endian words in big-endian
 * order (the Modbus default), CDAB swaps the words, BADC swaps bytes in each
 * word, DCBA is fully little-endian. For 64-bit values the same rule extends to
 * eight bytes (ABCD = ABCDEFGH, CDAB = GHEFCDAB word-reversed, and so on).
 */
export const WordOrder = z.enum(WORD_ORDERS);
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
    length: z
      .number()
      .int()
      .min(1)
      .max(123)
      .optional()
      .describe('Registers a string occupies (two characters each); required for type "string"'),
    scale: z.number().default(1).describe('value = raw × scale + offset'),
    offset: z.number().default(0),
    unit: z.string().max(16).optional(),
    description: z.string().optional(),
    scanMs: z
      .number()
      .int()
      .min(10)
      .max(3_600_000)
      .optional()
      .describe("This tag's own scan period; the device's pollMs when absent"),
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
    if (tag.type === 'string' && tag.length === undefined) {
      ctx.addIssue({ code: 'custom', path: ['length'], message: 'a "string" tag needs "length", in registers' });
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
    unitId: intIn(0, 255).default(1),
    timeoutMs: z.number().int().min(10).max(60_000).default(DEFAULT_TIMEOUT_MS),
    pollMs: z.number().int().min(10).max(3_600_000).default(DEFAULT_POLL_MS),
    enabled: z.boolean().default(true).describe('Connect and poll when the gateway starts'),
    addressBase: z
      .union([z.literal(0), z.literal(1)])
      .default(0)
      .describe('How this device documents table offsets (HR:n): 0 = protocol addresses, 1 = one-based. Modicon numbers are always one-based'),
    readOnly: z.boolean().default(false).describe('Refuse every write to this device'),
    bitWrite: z
      .enum(['auto', 'fc22', 'readModifyWrite'])
      .default('auto')
      .describe(
        "How a bit inside a register (HR:10.3) is written: 'fc22' mask write register; 'readModifyWrite' read the register (FC 3), change the bit, write it back (FC 6); 'auto' tries FC 22 and falls back for good when the device refuses it (exception 01)",
      ),
    retries: z.number().int().min(0).max(10).default(1).describe('Extra attempts after a timeout'),
    delayAfterConnectMs: z.number().int().min(0).max(60_000).default(0).describe('Pause after connecting, for devices that need it'),
    minGapMs: z.number().int().min(0).max(10_000).default(0).describe('Minimum pause between two requests to this device'),
    maxInFlight: z.number().int().min(1).max(64).default(1).describe('Requests outstanding at once on TCP; many PLCs answer one at a time'),
    reconnectAfterTimeouts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe('Modbus TCP: timeouts in a row (nothing heard from the device in between) after which the connection is closed and opened again'),
    replyUnitId: z
      .enum(['match', 'any'])
      .default('match')
      .describe("Modbus TCP: 'any' takes a reply whatever unit id it carries (some devices and gateways answer with 0 or 255); the transaction id still pairs it"),
    maxRegistersPerRead: z.number().int().min(1).max(125).default(125),
    maxBitsPerRead: z.number().int().min(1).max(2000).default(2000),
    maxRegisterGap: z.number().int().min(0).max(124).default(8).describe('Unused registers a read may bridge to join two tags'),
    tags: z.array(Tag).default([]),
  })
  .strict()
  .superRefine((device, ctx) => {
    checkUniqueNames(device.tags, ctx, 'tags', 'tag');
    if (device.replyUnitId === 'any' && device.transport.kind !== 'tcp' && device.transport.kind !== 'demo') {
      ctx.addIssue({
        code: 'custom',
        path: ['replyUnitId'],
        message: `"any" is for Modbus TCP only: on a ${device.transport.kind} line the unit id is the address that tells replies apart`,
      });
    }
  });
export type Device = z.infer<typeof Device>;
export type DeviceInput = z.input<typeof Device>;

export const BifrostConfig = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    devices: z.array(Device).default([]),
    /** Modbus TCP servers that many clients share, each forwarding to one of `devices` (proxyConfig.ts). */
    proxies: z.array(ProxyDefinition).default([]),
    /** Saved Tag Watch lists (watchConfig.ts); optional, and only the extension reads them. */
    watches: z.array(WatchList).optional(),
    /** Saved Registers views (registerViewConfig.ts); optional, and only the extension reads them. */
    registerViews: z.array(RegisterView).optional(),
    /** Prometheus metrics and health checks of a headless gateway (metricsConfig.ts); only `run` reads it. */
    metrics: MetricsConfig.optional(),
    /** Tag values published to an MQTT broker, JSON or Sparkplug B (mqttConfig.ts); only `run` reads it. */
    mqtt: MqttConfig.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    checkUniqueNames(config.devices, ctx, 'devices', 'device');
    checkSerialLinesAgree(config.devices, ctx);
    checkProxies(config.proxies, config.devices.map((device) => device.name), ctx);
    checkWatches(config.watches, config.devices, ctx);
    checkRegisterViews(config.registerViews, config.devices, ctx);
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

/** Devices on one serial port share its line settings: they are one bus. */
function checkSerialLinesAgree(devices: Device[], ctx: z.RefinementCtx): void {
  const first = new Map<string, { index: number; transport: SerialTransport }>();
  devices.forEach((device, index) => {
    const transport = device.transport;
    if (!isSerialTransport(transport)) return;
    const seen = first.get(transport.path);
    if (!seen) {
      first.set(transport.path, { index, transport });
      return;
    }
    for (const key of ['kind', 'baudRate', 'parity', 'stopBits', 'dataBits'] as const) {
      if (seen.transport[key] !== transport[key]) {
        ctx.addIssue({
          code: 'custom',
          path: ['devices', index, 'transport', key],
          message: `${transport.path} is one bus: ${key} ${String(transport[key])} differs from ${String(seen.transport[key])} in devices[${seen.index}]`,
        });
      }
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
    problems: result.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: plainIssueText(issue) + (issue.code === 'unrecognized_keys' ? unknownFieldHint(bifrostInputSchema(), issue.path, issue.keys) : ''),
    })),
  };
}

let inputSchemaCache: Record<string, unknown> | undefined;
/**
 * The JSON schema of what a user writes in bifrost.json (`io: 'input'`: defaults make
 * fields optional), made once: the editor's schema and the "did you mean" of an unknown field.
 */
export function bifrostInputSchema(): Record<string, unknown> {
  inputSchemaCache ??= z.toJSONSchema(BifrostConfig, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return inputSchemaCache;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

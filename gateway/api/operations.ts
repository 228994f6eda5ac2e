/**
 * Channel contract for operations on devices: the read plan, writes (with a
 * preview for the UI's confirmation step) and discovery of unit ids.
 * Spread into Methods and Events in channel.ts; must not import channel.ts.
 */
import { z } from 'zod';
import { Transport } from './config';
import { TagValue } from './shapes';

const DeviceRef = z.object({ device: z.string().min(1) });

/** One request of a device's scan plan and the tags it serves. */
export const PlannedRequest = z.object({
  /** Modbus function code: 1, 2, 3 or 4. */
  function: z.number().int(),
  /** Zero-based protocol address of the first register or bit. */
  start: z.number().int(),
  quantity: z.number().int(),
  tags: z.array(z.string()),
  /** How often this request is sent. */
  scanMs: z.number().int(),
});
export type PlannedRequest = z.infer<typeof PlannedRequest>;

export const DevicePlan = z.object({
  device: z.string(),
  /** Requests one round of every scan period sends. */
  requestsPerScan: z.number().int(),
  requests: z.array(PlannedRequest),
  /** Tags that are in no request, with why (unreadable config, rejected by the device). */
  unplanned: z.array(z.object({ tag: z.string(), reason: z.string() })),
});
export type DevicePlan = z.infer<typeof DevicePlan>;

const WriteParams = DeviceRef.extend({
  tag: z.string().min(1),
  /** Engineering value (scale and offset are removed); text for a string tag or an exact 64-bit decimal. */
  value: z.union([z.number(), z.boolean(), z.string()]),
});

/** The request a write sends, for the confirmation step and the log. */
export const WriteFrame = z.object({
  /** Hex of the request PDU (function code and data), as it goes inside the transport's framing. */
  frame: z.string(),
  function: z.number().int(),
  /** In words: "write multiple registers 10–11 (float32 ABCD 21.5 → 0x41AC 0x0000)". */
  description: z.string(),
});
export type WriteFrame = z.infer<typeof WriteFrame>;

export const UnitIdRange = z
  .object({ from: z.number().int().min(0).max(255), to: z.number().int().min(0).max(255) })
  .refine((range) => range.from <= range.to, { message: '"from" must not be above "to"' });

export const DeviceIdentification = z.object({
  vendorName: z.string().optional(),
  productCode: z.string().optional(),
  revision: z.string().optional(),
  /** Every object the device sent, by id, with its spec name. */
  objects: z.array(z.object({ id: z.number().int(), name: z.string(), value: z.string() })),
});
export type DeviceIdentification = z.infer<typeof DeviceIdentification>;

export const DiscoveredUnit = z.object({
  unitId: z.number().int(),
  /** What answered, in words: "answers FC 3", "identification (43/14)", "server id (17)". */
  answers: z.array(z.string()),
  identification: DeviceIdentification.optional(),
  serverId: z.object({ id: z.number().int(), running: z.boolean(), dataHex: z.string() }).optional(),
});
export type DiscoveredUnit = z.infer<typeof DiscoveredUnit>;

/** One serial port as the operating system lists it. */
export const SerialPortInfo = z.object({
  path: z.string(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  /** udev's name for the device (the /dev/serial/by-id link's name), when there is one. */
  pnpId: z.string().optional(),
  /** A path that survives replugging and reboots (/dev/serial/by-id/…): the one to put in bifrost.json. */
  stablePath: z.string().optional(),
});
export type SerialPortInfo = z.infer<typeof SerialPortInfo>;

export const OperationMethods = {
  /** The device's current read plan: which requests one scan sends and which tags each serves. */
  'device.plan': { params: DeviceRef, result: DevicePlan },
  /** Encode and send a write, then read the tag back. Refused for read-only devices and tables. */
  'tag.write': { params: WriteParams, result: WriteFrame.extend({ readBack: TagValue }) },
  /** The exact request `tag.write` would send, without sending it. */
  'tag.encodeWrite': { params: WriteParams, result: WriteFrame },
  /** Probe a range of unit ids on a link; reports each as it answers. */
  'discovery.scan': {
    params: z.object({
      transport: Transport,
      unitIds: UnitIdRange.default({ from: 1, to: 247 }),
      timeoutMs: z.number().int().min(10).max(10_000).default(200),
    }),
    result: z.object({ found: z.array(DiscoveredUnit) }),
  },
  /** Stop every running scan after the unit id it is probing; each answers with what it found so far. */
  'discovery.cancel': { params: z.object({}), result: z.object({ cancelled: z.number().int() }) },
  /** The serial ports this machine has, for pickers (a port can also be typed by hand). */
  'serial.ports': { params: z.object({}), result: z.object({ ports: z.array(SerialPortInfo) }) },
} as const;

export const OperationEvents = {
  /** After each unit id is probed. */
  'discovery.progress': z.object({ unitId: z.number().int(), done: z.number().int(), total: z.number().int() }),
  /** A unit id answered. */
  'discovery.found': DiscoveredUnit,
} as const;

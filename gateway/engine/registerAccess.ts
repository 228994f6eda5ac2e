/**
 * The Registers view's reads and writes and the tag prompts' preview, against a
 * configured device (through its own session and queue, with its limits and
 * address base) or an ad-hoc endpoint (adHocSessions.ts).
 */
import { formatAddress } from '../api/address';
import type { Device, Tag } from '../api/config';
import type { RangeChunk, RangeReadResult, RegisterTableName, RegisterTarget } from '../api/registers';
import type { TagValue } from '../api/shapes';
import type { WriteFrame } from '../api/operations';
import { registerCount } from '../tags/dataTypes';
import { resolveTag, type ResolvedTag } from '../tags/resolve';
import { decodeTagFromBlock } from '../tags/tagValue';
import { encodeTagWrite, WriteRefusedError, type WriteValue } from '../tags/writeRequest';
import type { AdHocSessions } from './adHocSessions';
import { UnknownDeviceError } from './unknownDeviceError';
import { describeWrite } from './deviceRunner';
import { readRange, type RangeRequest } from './rangeReader';
import type { DeviceSession } from './session';

/** What register access needs of the engine (an interface, so tests can stand in for it). */
export interface RegisterHost {
  readonly adHoc: Pick<AdHocSessions, 'open'>;
  hasDevice(name: string): boolean;
  deviceConfig(name: string): Device;
  session(name: string): DeviceSession | undefined;
}

interface Resolved {
  label: string;
  device: Device;
  session: DeviceSession;
}

async function resolveTarget(host: RegisterHost, target: RegisterTarget): Promise<Resolved> {
  if ('device' in target) {
    const device = host.deviceConfig(target.device);
    const session = host.session(target.device);
    if (!session) throw new UnknownDeviceError(target.device);
    return { label: device.name, device, session };
  }
  return host.adHoc.open(target.endpoint);
}

function reader(session: DeviceSession): (request: RangeRequest) => Promise<readonly number[] | readonly boolean[]> {
  return async (request) => {
    const response = await session.request(request);
    return 'registers' in response ? response.registers : response.bits;
  };
}

export async function readRegisterRange(
  host: RegisterHost,
  target: RegisterTarget,
  table: RegisterTableName,
  start: number,
  count: number,
): Promise<RangeReadResult> {
  const { label, device, session } = await resolveTarget(host, target);
  const { chunks, requests } = await readRange(table, start, count, {
    read: reader(session),
    maxRegistersPerRead: device.maxRegistersPerRead,
    maxBitsPerRead: device.maxBitsPerRead,
  });
  return { label, chunks, requests };
}

export interface RegisterWrite {
  target: RegisterTarget;
  table: 'coil' | 'holdingRegister';
  address: number;
  format?: { type: Exclude<Tag['type'], 'bool' | 'string'>; order: Tag['order'] };
  value: WriteValue;
}

/** The write as a tag at that address, so it goes through the same encoder (and refusals) as a tag write. */
function writeAsTag(write: RegisterWrite): ResolvedTag {
  const coil = write.table === 'coil';
  const type = coil ? 'bool' : (write.format?.type ?? 'uint16');
  const width = coil ? 1 : registerCount(type);
  return {
    name: formatAddress({ table: write.table, offset: write.address }),
    address: formatAddress({ table: write.table, offset: write.address }),
    table: write.table,
    offset: write.address,
    width,
    type,
    order: write.format?.order ?? 'ABCD',
    scale: 1,
    valueOffset: 0,
  };
}

function checkWritable(device: Device, label: string, tag: ResolvedTag): void {
  if (device.readOnly) {
    throw new WriteRefusedError(label, tag.name, tag.address, 'the device is read-only (readOnly: true in bifrost.json)', 'a device without readOnly');
  }
  if (tag.offset + tag.width > 0x10000) {
    throw new WriteRefusedError(label, tag.name, tag.address, `${tag.type} needs ${tag.width} registers and runs past 65535`, 'an address that leaves room for the value');
  }
}

export async function encodeRegisterWrite(host: RegisterHost, write: RegisterWrite): Promise<WriteFrame> {
  const { label, device } = 'device' in write.target ? { label: write.target.device, device: host.deviceConfig(write.target.device) } : await resolveTarget(host, write.target);
  const tag = writeAsTag(write);
  checkWritable(device, label, tag);
  return describeWrite(encodeTagWrite(label, tag, write.value));
}

export async function writeRegisters(host: RegisterHost, write: RegisterWrite): Promise<WriteFrame & { readBack: RangeChunk }> {
  const { label, device, session } = await resolveTarget(host, write.target);
  const tag = writeAsTag(write);
  checkWritable(device, label, tag);
  const encoded = encodeTagWrite(label, tag, write.value);
  await session.request(encoded.request);
  const { chunks } = await readRange(write.table, tag.offset, tag.width, { read: reader(session) });
  return { ...describeWrite(encoded), readBack: chunks[0] };
}

/** Read a tag definition once, decoded as the poller would; a failure is a bad-quality value, not a throw. */
export async function previewTag(host: RegisterHost, target: RegisterTarget, tag: Tag, addressBase?: 0 | 1): Promise<TagValue> {
  const { label, device, session } = await resolveTarget(host, target);
  const base = addressBase ?? device.addressBase;
  const resolution = resolveTag(tag, { addressBase: base });
  const reading = (fields: Pick<TagValue, 'value' | 'quality'> & Partial<TagValue>): TagValue => ({ device: label, tag: tag.name, ts: Date.now(), ...fields });
  if (!resolution.ok) return reading({ value: null, quality: 'bad', error: resolution.error });
  const resolved = resolution.tag;
  const { chunks } = await readRange(resolved.table, resolved.offset, resolved.width, { read: reader(session) });
  const failed = chunks.find((chunk) => chunk.values === undefined);
  if (failed) return reading({ value: null, quality: 'bad', error: failed.error });
  const data = chunks.flatMap((chunk) => chunk.values ?? []);
  const bits = resolved.table === 'coil' || resolved.table === 'discreteInput';
  try {
    const decoded = decodeTagFromBlock(resolved, resolved.offset, bits ? data.map((bit) => bit === 1) : data);
    return reading({ value: decoded.value, ...(decoded.text === undefined ? {} : { text: decoded.text }), raw: decoded.raw, quality: 'good' });
  } catch (error) {
    return reading({ value: null, quality: 'bad', error: (error as Error).message });
  }
}

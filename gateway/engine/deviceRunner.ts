/**
 * Everything the engine runs for one configured device: its session, its poller,
 * and the wiring between them (poll while connected, go stale when not). An apply
 * that changes only the scan hands the session over to a new runner (release,
 * then `session` in the next one's options): the connection stays open.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DeviceSnapshot, DeviceStatus, TagReadTick, TagValue } from '../api/channel';
import type { Device } from '../api/config';
import type { DevicePlan, WriteFrame } from '../api/operations';
import { encodeRequest } from '../protocol/requests';
import { protocolAddress, resolveTag, type ResolvedTag } from '../tags/resolve';
import { decodeTagFromBlock } from '../tags/tagValue';
import { FunctionCode } from '../protocol/functionCodes';
import type { ModbusRequest } from '../protocol/requests';
import { encodeTagWrite, WriteRefusedError, type TagWrite, type WriteValue } from '../tags/writeRequest';
import { bitWriteMethod, isMaskWriteRefusal, readModifyWriteReason, sendTagWrite, type MaskWriteRefusals } from './bitWrites';
import type { Logger } from './logger';
import { planOptionsFor, planReads, type ReadBlock } from './planner';
import { DevicePoller, type BlockReader } from './poller';
import type { DeviceSession } from './session';
import type { SessionFactory } from './sessionFactory';

export interface DeviceRunnerOptions {
  device: Device;
  /** As shown to users: "tcp://10.0.0.5:502 #1". */
  endpointLabel: string;
  /** Builds the session for the device's transport kind (sessionFactory.ts). */
  sessions: SessionFactory;
  logger: Logger;
  onStatus: (status: DeviceStatus) => void;
  onValues: (values: TagValue[]) => void;
  /** The session of the runner this one replaces (released), kept with its connection. */
  session?: DeviceSession;
  /** A scan completed (see TagReadTick); optional for callers that only want changes. */
  onRead?: (tick: TagReadTick) => void;
  /** Devices that refused FC 22, shared by every runner the engine makes (see bitWrites.ts). */
  maskWriteRefusals?: MaskWriteRefusals;
  /** The replaced runner's last readings of tags defined exactly as here (release() gives them). */
  readings?: readonly TagValue[];
}

export class DeviceRunner {
  readonly device: Device;
  private readonly session: DeviceSession;
  private readonly poller: DevicePoller;
  private readonly endpointLabel: string;
  private readonly resolved = new Map<string, ResolvedTag>();
  private readonly invalidTags: { name: string; error: string }[] = [];
  /** After dispose, late status and stale values of a removed device are not reported. */
  private disposed = false;
  /** What this runner hears from its session; removed when the session is handed over. */
  private readonly sessionListeners: { status: (status: DeviceStatus) => void; connected: () => void; disconnected: (reason: string) => void };
  private readonly adopted: boolean;

  constructor(private readonly options: DeviceRunnerOptions) {
    const { device } = options;
    this.device = device;
    this.endpointLabel = options.endpointLabel;
    this.adopted = options.session !== undefined;
    this.session = options.session ?? options.sessions.create(device);

    for (const tag of device.tags) {
      const resolution = resolveTag(tag, { addressBase: device.addressBase });
      if (resolution.ok) this.resolved.set(resolution.tag.name, resolution.tag);
      else this.invalidTags.push({ name: resolution.name, error: resolution.error });
    }
    const reader: BlockReader = { read: (block) => this.readBlock(block) };
    this.poller = new DevicePoller({
      device: device.name,
      pollMs: device.pollMs,
      tags: [...this.resolved.values()],
      invalidTags: this.invalidTags,
      plan: planOptionsFor(device),
      reader,
      onValues: (values) => {
        if (!this.disposed) options.onValues(values);
      },
      onRead: (scanMs, at) => {
        if (!this.disposed) options.onRead?.({ device: device.name, scanMs, at });
      },
      logger: options.logger,
    });

    if (options.readings) this.poller.seed(options.readings);
    this.sessionListeners = {
      status: (status) => {
        if (!this.disposed) options.onStatus(status);
      },
      connected: () => this.poller.start(),
      disconnected: (reason) => this.poller.stop(reason),
    };
    this.session.on('status', this.sessionListeners.status);
    this.session.on('connected', this.sessionListeners.connected);
    this.session.on('disconnected', this.sessionListeners.disconnected);
  }

  get name(): string {
    return this.device.name;
  }

  /** The device's one session: proxies forward their clients' requests through it, sharing its queue. */
  get sharedSession(): DeviceSession {
    return this.session;
  }

  get status(): DeviceStatus {
    return this.session.status;
  }

  /** Start as the config says: connect if enabled. A session handed over keeps its state; scan at once if it is up. */
  start(): void {
    if (!this.adopted) {
      if (this.device.enabled) this.session.start();
    } else if (this.session.isConnected) {
      this.poller.start();
    }
  }

  connect(): void {
    this.session.start();
  }

  disconnect(): void {
    this.session.stop('disconnected', 'disconnected by user');
  }

  refresh(): void {
    this.poller.refresh();
  }

  /**
   * Stop scanning and hand the session, still connected, to the runner that replaces
   * this one, with the last readings of the tags `next` defines exactly as this one did.
   */
  release(next: Device): { session: DeviceSession; readings: TagValue[] } {
    const readings: TagValue[] = [];
    for (const tag of next.tags) {
      const before = this.device.tags.find((old) => old.name === tag.name);
      const reading = this.poller.value(tag.name);
      if (before && reading && isDeepStrictEqual(before, tag)) readings.push(reading);
    }
    this.disposed = true;
    this.session.off('status', this.sessionListeners.status);
    this.session.off('connected', this.sessionListeners.connected);
    this.session.off('disconnected', this.sessionListeners.disconnected);
    this.poller.stop('scan re-planned');
    return { session: this.session, readings };
  }

  /** Stop for good (config replaced or gateway exiting). */
  dispose(): void {
    this.disposed = true;
    this.session.stop('disconnected', 'device removed');
    this.poller.stop('device removed');
  }

  /** The requests one round of scans sends and the tags each serves. */
  plan(): DevicePlan {
    const planned = this.poller.plan;
    const inPlan = new Set(planned.flatMap(({ block }) => block.tags.map((tag) => tag.name)));
    const unplanned = this.device.tags
      .filter((tag) => !inPlan.has(tag.name))
      .map((tag) => ({ tag: tag.name, reason: this.poller.value(tag.name)?.error ?? 'not planned' }));
    return {
      device: this.device.name,
      requestsPerScan: planned.length,
      requests: planned.map(({ block, scanMs }) => ({
        function: block.functionCode,
        start: block.start,
        quantity: block.quantity,
        tags: block.tags.map((tag) => tag.name),
        scanMs,
      })),
      unplanned,
    };
  }

  /**
   * The request writing `value` to `tagName` would send; throws WriteRefusedError.
   * A bit written by read-modify-write says why in its description.
   */
  encodeWrite(tagName: string, value: WriteValue): TagWrite {
    const tag = this.writableTag(tagName);
    const write = encodeTagWrite(this.device.name, tag, value, this.bitWriteMethod());
    if (write.readModifyWrite) return { ...write, description: `${readModifyWriteReason(this.device)}; Bifrost will ${write.description}` };
    if (write.request.functionCode === FunctionCode.MaskWriteRegister && this.device.bitWrite === 'auto') {
      return { ...write, description: `${write.description}; if the device refuses FC 22, Bifrost reads, modifies and writes the register instead` };
    }
    return write;
  }

  /** Send the write, then read the tag back so the caller sees what the device now holds. */
  async write(tagName: string, value: WriteValue): Promise<WriteFrame & { readBack: TagValue }> {
    const tag = this.writableTag(tagName);
    let write = encodeTagWrite(this.device.name, tag, value, this.bitWriteMethod());
    let sent: ModbusRequest;
    try {
      sent = await this.sendWrite(write);
    } catch (error) {
      if (this.device.bitWrite !== 'auto' || !isMaskWriteRefusal(write, error)) throw error;
      this.options.maskWriteRefusals?.add(this.refusalKey);
      this.options.logger.log(
        'warn',
        `the device refuses FC 22 (mask write register); bits in registers are now written by read (FC 3), modify, write (FC 6)`,
        this.device.name,
      );
      write = encodeTagWrite(this.device.name, tag, value, 'readModifyWrite');
      sent = await this.sendWrite(write);
    }
    this.options.logger.log('info', `wrote ${tag.name}: ${write.description}`, this.device.name);
    const readBack = await this.readTag(tag);
    this.poller.refresh();
    return { ...describeWrite({ ...write, request: sent }), readBack };
  }

  private get refusalKey(): string {
    return `${this.device.name}\u0000${this.endpointLabel}`;
  }

  private bitWriteMethod(): ReturnType<typeof bitWriteMethod> {
    return bitWriteMethod(this.device, this.options.maskWriteRefusals?.has(this.refusalKey) ?? false);
  }

  /** Sends the write (both steps of a read-modify-write); returns the request that wrote. */
  private sendWrite(write: TagWrite): Promise<ModbusRequest> {
    return sendTagWrite(this.session, write);
  }


  private writableTag(tagName: string): ResolvedTag {
    const tag = this.resolved.get(tagName);
    if (!tag) {
      const invalid = this.invalidTags.find((entry) => entry.name === tagName);
      if (invalid) throw new WriteRefusedError(this.device.name, tagName, undefined, invalid.error, 'a tag with a valid address');
      throw new WriteRefusedError(this.device.name, tagName, undefined, 'no such tag on this device', tagChoices(tagName, [...this.resolved.keys()]));
    }
    if (this.device.readOnly) {
      throw new WriteRefusedError(this.device.name, tag.name, protocolAddress(tag), 'the device is read-only (readOnly: true in bifrost.json)', 'a device without readOnly');
    }
    return tag;
  }

  private async readTag(tag: ResolvedTag): Promise<TagValue> {
    const [block] = planReads([tag]);
    const reading = (fields: Pick<TagValue, 'value' | 'quality'> & Partial<TagValue>): TagValue => ({
      device: this.device.name,
      tag: tag.name,
      ts: Date.now(),
      ...fields,
    });
    try {
      const decoded = decodeTagFromBlock(tag, block.start, await this.readBlock(block));
      return reading({ value: decoded.value, ...(decoded.text === undefined ? {} : { text: decoded.text }), raw: decoded.raw, quality: 'good' });
    } catch (error) {
      return reading({ value: null, quality: 'bad', error: (error as Error).message });
    }
  }

  private async readBlock(block: ReadBlock): Promise<readonly number[] | readonly boolean[]> {
    const response = await this.session.request({
      functionCode: block.functionCode,
      address: block.start,
      quantity: block.quantity,
    });
    return 'registers' in response ? response.registers : response.bits;
  }

  /** A request PDU (the frame debugger's replay or hand-written frame) through this device's session and queue; the reply PDU back. */
  sendPdu(unitId: number, pdu: Buffer, correlation?: string): Promise<Buffer> {
    return this.session.requestPdu(unitId, pdu, correlation === undefined ? {} : { correlation });
  }

  snapshot(): DeviceSnapshot {
    return {
      name: this.device.name,
      endpoint: this.endpointLabel,
      unitId: this.device.unitId,
      pollMs: this.device.pollMs,
      status: this.session.status,
      requestsPerScan: this.poller.requestsPerScan,
      tags: this.device.tags.map((tag) => {
        const value = this.poller.value(tag.name);
        return {
          name: tag.name,
          address: tag.address,
          type: tag.type,
          ...(tag.unit === undefined ? {} : { unit: tag.unit }),
          scanMs: tag.scanMs ?? this.device.pollMs,
          ...(value === undefined ? {} : { value }),
        };
      }),
    };
  }
}

export function describeWrite(write: TagWrite): WriteFrame {
  return { frame: encodeRequest(write.request).toString('hex'), function: write.request.functionCode, description: write.description };
}

/** At most this many tag names in a refusal: a device may have thousands. */
const NAMES_IN_REFUSAL = 10;

/**
 * What a write to an unknown tag could have meant: every name when there are few,
 * else the names most like the one given (same letters in another case, then sharing
 * its start or containing it) and how many more there are.
 */
export function tagChoices(given: string, names: readonly string[]): string {
  if (names.length <= NAMES_IN_REFUSAL) return `one of: ${names.join(', ')}`;
  const wanted = given.toLowerCase();
  const likeness = (name: string): number => {
    const lower = name.toLowerCase();
    if (lower === wanted) return 0;
    if (lower.startsWith(wanted) || wanted.startsWith(lower)) return 1;
    if (lower.includes(wanted) || wanted.includes(lower)) return 2;
    return 3;
  };
  const shown = [...names].sort((a, b) => likeness(a) - likeness(b)).slice(0, NAMES_IN_REFUSAL);
  return `one of: ${shown.join(', ')} (and ${names.length - shown.length} more)`;
}

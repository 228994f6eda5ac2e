/**
 * Everything the engine runs for one configured device: its session, its poller,
 * and the wiring between them (poll while connected, go stale when not).
 */
import type { DeviceSnapshot, DeviceStatus, TagValue } from '../api/channel';
import type { Device } from '../api/config';
import type { FrameHook } from '../transport/frames';
import { resolveTag, type ResolvedTag } from '../tags/resolve';
import type { Logger } from './logger';
import { DevicePoller, type BlockReader } from './poller';
import { DeviceSession, type Endpoint } from './session';

export interface DeviceRunnerOptions {
  device: Device;
  /** As shown to users: "tcp://10.0.0.5:502 #1". */
  endpointLabel: string;
  endpoint: () => Promise<Endpoint>;
  logger: Logger;
  onStatus: (status: DeviceStatus) => void;
  onValues: (values: TagValue[]) => void;
  onFrame?: FrameHook;
}

export class DeviceRunner {
  readonly device: Device;
  private readonly session: DeviceSession;
  private readonly poller: DevicePoller;
  private readonly endpointLabel: string;
  /** After dispose, late status and stale values of a removed device are not reported. */
  private disposed = false;

  constructor(options: DeviceRunnerOptions) {
    const { device } = options;
    this.device = device;
    this.endpointLabel = options.endpointLabel;
    this.session = new DeviceSession({
      device: device.name,
      unitId: device.unitId,
      timeoutMs: device.timeoutMs,
      endpoint: options.endpoint,
      logger: options.logger,
      initialState: device.enabled ? 'disconnected' : 'disabled',
      onFrame: options.onFrame,
    });

    const resolved: ResolvedTag[] = [];
    const invalidTags: { name: string; error: string }[] = [];
    for (const tag of device.tags) {
      const resolution = resolveTag(tag);
      if (resolution.ok) resolved.push(resolution.tag);
      else invalidTags.push({ name: resolution.name, error: resolution.error });
    }
    const reader: BlockReader = {
      read: async (block) => {
        const response = await this.session.request({
          functionCode: block.functionCode,
          address: block.start,
          quantity: block.quantity,
        });
        return 'registers' in response ? response.registers : response.bits;
      },
    };
    this.poller = new DevicePoller({
      device: device.name,
      pollMs: device.pollMs,
      tags: resolved,
      invalidTags,
      reader,
      onValues: (values) => {
        if (!this.disposed) options.onValues(values);
      },
      logger: options.logger,
    });

    this.session.on('status', (status) => {
      if (!this.disposed) options.onStatus(status);
    });
    this.session.on('connected', () => this.poller.start());
    this.session.on('disconnected', (reason) => this.poller.stop(reason));
  }

  get name(): string {
    return this.device.name;
  }

  get status(): DeviceStatus {
    return this.session.status;
  }

  /** Start as the config says: connect if enabled. */
  start(): void {
    if (this.device.enabled) this.session.start();
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

  /** Stop for good (config replaced or gateway exiting). */
  dispose(): void {
    this.disposed = true;
    this.session.stop('disconnected', 'device removed');
    this.poller.stop('device removed');
  }

  snapshot(): DeviceSnapshot {
    return {
      name: this.device.name,
      endpoint: this.endpointLabel,
      unitId: this.device.unitId,
      pollMs: this.device.pollMs,
      status: this.session.status,
      tags: this.device.tags.map((tag) => {
        const value = this.poller.value(tag.name);
        return {
          name: tag.name,
          address: tag.address,
          type: tag.type,
          ...(tag.unit === undefined ? {} : { unit: tag.unit }),
          ...(value === undefined ? {} : { value }),
        };
      }),
    };
  }
}

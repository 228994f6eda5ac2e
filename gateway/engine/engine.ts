/**
 * The engine: runs the devices of one BifrostConfig and reports their status and
 * tag values. Applying a config changes only what changed (configChange.ts): an
 * unchanged device is left alone, one whose scan changed is re-planned on its open
 * connection, and only one whose connection settings changed reconnects.
 */
import { EventEmitter } from 'node:events';
import type { DeviceSnapshot, DeviceStatus, TagReadTick, TagValue } from '../api/channel';
import type { BifrostConfig, Device, Transport } from '../api/config';
import type { DevicePlan, DiscoveredUnit, WriteFrame } from '../api/operations';
import type { WriteValue } from '../tags/writeRequest';
import { CaptureRecorder } from '../capture/recorder';
import { CaptureRing } from '../capture/ring';
import type { FrameHook, LinkFrame } from '../transport/frames';
import { InjectionLedger } from '../capture/injectionLedger';
import { DemoFaults } from './demoFaults';
import { UnknownDeviceError } from './unknownDeviceError';
import { AdHocSessions } from './adHocSessions';
import { DemoHost } from './demoHost';
import { MaskWriteRefusals } from './bitWrites';
import { deviceChange } from './configChange';
import { DeviceRunner, describeWrite } from './deviceRunner';
import { discoverUnits } from './discovery';
import { openDiscoveryLink } from './discoveryLink';
import { endpointLabel } from './endpoint';
import type { Logger } from './logger';
import type { DeviceSession, Endpoint, SettledExchange } from './session';
import { SessionFactory } from './sessionFactory';

export interface EngineOptions {
  logger: Logger;
  onFrame?: FrameHook;
  /** Frames the capture ring keeps (default 10,000). */
  captureCapacity?: number;
}

type EngineEvents = {
  status: [status: DeviceStatus];
  values: [values: TagValue[]];
  /** A scan of one scan period completed: its tags were read, changed or not. */
  read: [tick: TagReadTick];
  devicesChanged: [devices: DeviceSnapshot[]];
  discoveryProgress: [progress: { unitId: number; done: number; total: number }];
  discoveryFound: [unit: DiscoveredUnit];
  /** A configured device's request ended (metrics/ counts these). */
  exchange: [exchange: SettledExchange & { device: string }];
  /** A configured device's link came up: the first connect, and every reconnect after it. */
  connected: [device: string];
};

export interface DiscoveryRequest {
  transport: Transport;
  unitIds: { from: number; to: number };
  timeoutMs: number;
}

export { UnknownDeviceError };

export class Engine extends EventEmitter<EngineEvents> {
  private runners = new Map<string, DeviceRunner>();
  private readonly demoHost: DemoHost;
  /** Every frame every device's link moves, newest last (capture/ring.ts). */
  readonly capture: CaptureRing;
  /** Writes the capture to pcapng files while asked to (capture/recorder.ts). */
  readonly recorder: CaptureRecorder;
  private readonly sessions: SessionFactory;
  /** Endpoints typed on the spot (Registers view without bifrost.json); not devices of the config. */
  readonly adHoc: AdHocSessions;
  private readonly frameHook: FrameHook;
  /** Faults injected on purpose into the demo devices (`simulator.setFault`). */
  readonly demoFaults: DemoFaults;
  private readonly injections: InjectionLedger;
  /** Cancel flags of the scans running now. */
  private readonly scans = new Set<{ cancelled: boolean }>();
  /** Devices that refused FC 22, remembered across config applies (bitWrites.ts). */
  private readonly maskWriteRefusals = new MaskWriteRefusals();
  /** Applies run one at a time, in the order they were asked for. */
  private applying: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    super();
    this.demoHost = new DemoHost(options.logger, (injected) => this.demoFaults.record(injected));
    this.capture = new CaptureRing(options.captureCapacity);
    this.recorder = new CaptureRecorder(this.capture, options.logger);
    this.injections = new InjectionLedger((frame) => this.frameHook(frame));
    this.demoFaults = new DemoFaults(this.demoHost, () => [...this.runners.values()].map((runner) => runner.device), this.injections, options.logger);
    this.frameHook = (frame) => {
      this.injections.annotate(frame);
      this.capture.push(frame);
      options.onFrame?.(frame);
    };
    this.sessions = new SessionFactory({
      logger: options.logger,
      demoEndpoint: () => this.demoHost.endpoint(),
      onFrame: this.frameHook,
    });
    this.adHoc = new AdHocSessions(this.sessions, options.logger);
  }

  /** Replace the running devices with `config`'s. Resolves with the new snapshot. */
  apply(config: BifrostConfig): Promise<DeviceSnapshot[]> {
    const next = this.applying.then(() => this.replaceDevices(config));
    this.applying = next.catch(() => undefined);
    return next;
  }

  snapshot(): DeviceSnapshot[] {
    return [...this.runners.values()].map((runner) => runner.snapshot());
  }

  hasDevice(name: string): boolean {
    return this.runners.has(name);
  }

  connect(name: string): void {
    this.runner(name).connect();
  }

  disconnect(name: string): void {
    this.runner(name).disconnect();
  }

  /** The session of a configured device, which proxies forward through; undefined for an unknown name. */
  session(name: string): DeviceSession | undefined {
    return this.runners.get(name)?.sharedSession;
  }

  /** Capture a frame that no device link moved (a proxy's client side), like every link's frames. */
  recordFrame(frame: LinkFrame): void {
    this.frameHook(frame);
  }

  /** Poll now: one device, or every device when none is named. */
  refresh(name?: string): void {
    if (name === undefined) for (const runner of this.runners.values()) runner.refresh();
    else this.runner(name).refresh();
  }

  /** The device's read plan: requests per scan and the tags each serves. */
  plan(name: string): DevicePlan {
    return this.runner(name).plan();
  }

  /** The request a write would send (for confirmation), without sending it. */
  encodeWrite(name: string, tag: string, value: WriteValue): WriteFrame {
    return describeWrite(this.runner(name).encodeWrite(tag, value));
  }

  write(name: string, tag: string, value: WriteValue): Promise<WriteFrame & { readBack: TagValue }> {
    return this.runner(name).write(tag, value);
  }

  /** The device's configuration, as applied. */
  deviceConfig(name: string): Device {
    return this.runner(name).device;
  }

  /** Send one request PDU through the device's session (frame debugger: replay, hand-written frames); resolves with the reply PDU. */
  sendPdu(name: string, unitId: number, pdu: Buffer, correlation?: string): Promise<Buffer> {
    return this.runner(name).sendPdu(unitId, pdu, correlation);
  }

  /** Probe unit ids on a link, reporting progress and each find as events. */
  async discover(request: DiscoveryRequest): Promise<DiscoveredUnit[]> {
    const link = await openDiscoveryLink(request.transport, {
      logger: this.options.logger,
      onFrame: this.frameHook,
      demoEndpoint: () => this.demoHost.endpoint(),
      bus: (transport) => this.sessions.bus(transport),
    });
    this.options.logger.log('info', `discovery: probing unit ids ${request.unitIds.from}–${request.unitIds.to} on ${link.name}`);
    const scan = { cancelled: false };
    this.scans.add(scan);
    try {
      const found = await discoverUnits(link, {
        ...request.unitIds,
        timeoutMs: request.timeoutMs,
        onProgress: (progress) => this.emit('discoveryProgress', progress),
        onFound: (unit) => this.emit('discoveryFound', unit),
        cancelled: () => this.closed || scan.cancelled,
      });
      const how = scan.cancelled ? ' before the scan was cancelled' : '';
      this.options.logger.log('info', `discovery: ${found.length} unit(s) answered on ${link.name}${how}`);
      return found;
    } finally {
      this.scans.delete(scan);
      link.close();
    }
  }

  /** Stops every running scan after its current probe. Returns how many there were. */
  cancelDiscovery(): number {
    for (const scan of this.scans) scan.cancelled = true;
    return this.scans.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.adHoc.close();
    await this.applying;
    for (const runner of this.runners.values()) runner.dispose();
    this.runners.clear();
    // After the devices: the frames of their goodbyes are in the file too.
    if (this.recorder.active) this.recorder.stop();
    this.injections.close();
    await this.demoHost.close();
  }

  private runner(name: string): DeviceRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new UnknownDeviceError(name);
    return runner;
  }

  private async replaceDevices(config: BifrostConfig): Promise<DeviceSnapshot[]> {
    if (this.closed) throw new Error('the engine is shut down');
    const counts = { unchanged: 0, replanned: 0, reconnected: 0, added: 0, removed: 0 };
    // First let go of what goes away or reconnects, before the demo simulator may
    // close under it: a removed device reports no "connection lost" on its way out.
    const configured = new Map(config.devices.map((device) => [device.name, device]));
    const kept = new Map<string, DeviceRunner>();
    for (const [name, old] of this.runners) {
      const device = configured.get(name);
      if (device && deviceChange(old.device, device) !== 'connection') {
        kept.set(name, old);
        continue;
      }
      old.dispose();
      if (device) counts.reconnected++;
      else counts.removed++;
    }

    const needsDemo = config.devices.some((device) => device.transport.kind === 'demo');
    let demoEndpoint: Endpoint | undefined;
    if (needsDemo) {
      try {
        demoEndpoint = await this.demoHost.endpoint();
      } catch (error) {
        // The demo devices will show the failure in their status and keep retrying.
        this.options.logger.log('error', `the demo simulator could not start: ${(error as Error).message}`);
      }
    } else {
      await this.demoHost.close();
    }

    const next = new Map<string, DeviceRunner>();
    const toStart: DeviceRunner[] = [];
    for (const device of config.devices) {
      const old = kept.get(device.name);
      if (old && deviceChange(old.device, device) === 'none') {
        next.set(device.name, old);
        counts.unchanged++;
        continue;
      }
      // Only the scan changed: the new runner takes over the session, connection and all.
      const handover = old?.release(device);
      if (handover) counts.replanned++;
      else if (!this.runners.has(device.name)) counts.added++;
      const runner = this.createRunner(device, demoEndpoint, handover);
      next.set(device.name, runner);
      toStart.push(runner);
    }
    this.runners = next;
    // Announce the new device list before any of them reports a status change.
    const devices = this.snapshot();
    const summary = Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([what, count]) => `${count} ${what}`)
      .join(', ');
    this.options.logger.log('info', `configuration applied: ${devices.length} device(s)${summary ? ` (${summary})` : ''}`);
    this.emit('devicesChanged', devices);
    for (const runner of toStart) runner.start();
    return devices;
  }

  private createRunner(device: Device, demoEndpoint: Endpoint | undefined, handover?: { session: DeviceSession; readings: TagValue[] }): DeviceRunner {
    const runner = new DeviceRunner({
      ...handover,
      device,
      endpointLabel: endpointLabel(device, demoEndpoint),
      sessions: this.sessions,
      logger: this.options.logger,
      onStatus: (status) => this.emit('status', status),
      onValues: (values) => this.emit('values', values),
      onRead: (tick) => this.emit('read', tick),
      maskWriteRefusals: this.maskWriteRefusals,
    });
    // A session handed over keeps the listeners it got when it was made.
    if (!handover) {
      const session = runner.sharedSession;
      session.on('exchange', (exchange) => {
        if (this.listenerCount('exchange') > 0) this.emit('exchange', { ...exchange, device: device.name });
      });
      session.on('connected', () => this.emit('connected', device.name));
    }
    return runner;
  }
}

/**
 * Sessions to endpoints typed on the spot (the Registers view opened on
 * `tcp://host:port` and a unit id, no bifrost.json): one per distinct endpoint,
 * opened on first use, shared by every panel that reads it, and closed after it has
 * been idle for a while. A serial endpoint joins the port's shared bus, so it takes
 * turns with configured devices on the same line.
 */
import { Device } from '../api/config';
import type { AdHocEndpoint } from '../api/registers';
import { endpointLabel } from './endpoint';
import type { Logger } from './logger';
import type { DeviceSession } from './session';
import type { SessionFactory } from './sessionFactory';

/** The endpoint did not accept a connection: the message names it and says why. */
export class EndpointUnreachableError extends Error {
  readonly code = 'endpoint_unreachable';

  constructor(
    readonly endpoint: string,
    reason: string,
  ) {
    super(`cannot reach ${endpoint}: ${reason}`);
    this.name = 'EndpointUnreachableError';
  }
}

/** An endpoint nobody has read for this long is disconnected. */
export const AD_HOC_IDLE_MS = 60_000;

export interface AdHocSession {
  /** The endpoint as a device (defaults applied): limits, unit id, name for frames and messages. */
  device: Device;
  session: DeviceSession;
  label: string;
}

interface Entry extends AdHocSession {
  lastUsed: number;
  connected: Promise<void>;
}

export class AdHocSessions {
  private readonly entries = new Map<string, Entry>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly sessions: SessionFactory,
    private readonly logger: Logger,
    private readonly idleMs = AD_HOC_IDLE_MS,
  ) {
    this.reaper = setInterval(() => this.closeIdle(), Math.min(idleMs, 10_000));
    this.reaper.unref();
  }

  /** The endpoint's session, connected; rejects with why it could not connect. */
  async open(endpoint: AdHocEndpoint): Promise<AdHocSession> {
    const key = JSON.stringify(endpoint);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.create(endpoint);
      this.entries.set(key, entry);
    }
    entry.lastUsed = Date.now();
    try {
      await entry.connected;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
    if (!entry.session.isConnected) {
      // Lost since: the session reconnects on its own; a read now says why it cannot.
      entry.session.start();
    }
    return entry;
  }

  private create(endpoint: AdHocEndpoint): Entry {
    const placeholder = Device.parse({ name: 'ad hoc', transport: endpoint.transport, unitId: endpoint.unitId, timeoutMs: endpoint.timeoutMs });
    const label = endpointLabel(placeholder);
    // Frames and messages carry the endpoint itself, so the Frame Debugger tells ad-hoc reads apart.
    const device: Device = { ...placeholder, name: label };
    const session = this.sessions.create(device);
    const connected = new Promise<void>((resolve, reject) => {
      const onStatus = (status: { state: string; lastError?: string }) => {
        if (status.state === 'connected') {
          session.off('status', onStatus);
          resolve();
        } else if (status.state === 'error') {
          session.off('status', onStatus);
          session.stop('disconnected', 'could not connect');
          reject(new EndpointUnreachableError(label, status.lastError ?? 'connection failed'));
        }
      };
      session.on('status', onStatus);
    });
    session.start();
    this.logger.log('info', `ad-hoc endpoint ${label} opened`);
    return { device, session, label, lastUsed: Date.now(), connected };
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUsed < this.idleMs) continue;
      this.entries.delete(key);
      entry.session.stop('disconnected', 'idle');
      this.logger.log('info', `ad-hoc endpoint ${entry.label} closed after ${Math.round(this.idleMs / 1000)} s unused`);
    }
  }

  close(): void {
    clearInterval(this.reaper);
    for (const entry of this.entries.values()) entry.session.stop('disconnected', 'gateway closing');
    this.entries.clear();
  }
}

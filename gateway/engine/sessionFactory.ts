/**
 * One session per configured device, built for its transport kind:
 *
 * - tcp, demo: a Modbus TCP connection of its own (transaction ids, pipelining
 *   up to maxInFlight, keep-alive).
 * - rtu, ascii: a place on the serial bus of its port path, shared with every
 *   other device on that path.
 * - rtutcp: a place on the "bus" behind one serial-to-Ethernet converter
 *   (host:port), which is a serial line too: one request at a time, no ids.
 */
import type { Device, Transport } from '../api/config';
import type { FrameHook } from '../transport/frames';
import { SerialLink } from '../transport/serial';
import { interFrameSilenceMs, wireTimeMs, type LineSettings } from '../transport/serialTiming';
import { TcpLink } from '../transport/tcp';
import type { Connector } from './connection';
import type { Logger } from './logger';
import { SerialBuses, type SerialBus, type SerialBusOptions } from './serialBus';
import { DeviceSession, type Endpoint } from './session';

export interface SessionFactoryOptions {
  logger: Logger;
  onFrame?: FrameHook;
  /** Where the built-in demo simulator listens (started on first use). */
  demoEndpoint: () => Promise<Endpoint>;
}

const CONNECT_TIMEOUT_MS = 5000;

export class SessionFactory {
  readonly buses = new SerialBuses();

  constructor(private readonly options: SessionFactoryOptions) {}

  create(device: Device): DeviceSession {
    const common = {
      device: device.name,
      unitId: device.unitId,
      timeoutMs: device.timeoutMs,
      logger: this.options.logger,
      initialState: device.enabled ? ('disconnected' as const) : ('disabled' as const),
      onFrame: this.options.onFrame,
      retries: device.retries,
      delayAfterConnectMs: device.delayAfterConnectMs,
      minGapMs: device.minGapMs,
      maxInFlight: device.maxInFlight,
      maxConsecutiveTimeouts: device.reconnectAfterTimeouts,
      anyReplyUnitId: device.replyUnitId === 'any',
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    };
    const transport = device.transport;
    switch (transport.kind) {
      case 'tcp':
        return new DeviceSession({ ...common, endpoint: () => Promise.resolve({ host: transport.host, port: transport.port }) });
      case 'demo':
        return new DeviceSession({ ...common, endpoint: this.options.demoEndpoint });
      case 'rtutcp':
      case 'rtu':
      case 'ascii':
        return new DeviceSession({ ...common, connector: this.busConnector(device, busOptions(transport)) });
    }
  }

  /**
   * The shared bus of a serial-line transport (rtu, ascii, rtutcp), the one its
   * configured devices use too, so a discovery scan queues behind their polls
   * instead of talking over them.
   */
  bus(transport: BusTransport): SerialBus {
    return this.buses.get({ ...busOptions(transport), logger: this.options.logger, onFrame: this.options.onFrame });
  }

  private busConnector(device: Device, bus: BusLineOptions): Connector {
    return {
      // Look the bus up on every connect: after a lost link the old bus is gone.
      connect: () =>
        this.buses
          .get({ ...bus, logger: this.options.logger, onFrame: this.options.onFrame })
          .attach(device.name, device.unitId, device.minGapMs),
    };
  }
}

/** Transports whose devices share one line and one queue. */
export type BusTransport = Extract<Transport, { kind: 'rtu' | 'ascii' | 'rtutcp' }>;

type BusLineOptions = Omit<SerialBusOptions, 'logger' | 'onFrame'>;

function busOptions(transport: BusTransport): BusLineOptions {
  if (transport.kind === 'rtutcp') {
    return {
      key: `rtutcp://${transport.host}:${transport.port}`,
      framing: 'rtu',
      // The converter times the serial side itself; we only keep the device's gap.
      silenceMs: 0,
      wireTimeMs: () => 0,
      openLink: () => TcpLink.connect({ host: transport.host, port: transport.port, framing: 'rtu', connectTimeoutMs: CONNECT_TIMEOUT_MS }),
    };
  }
  const line: LineSettings = transport;
  return {
    key: transport.path,
    framing: transport.kind,
    silenceMs: interFrameSilenceMs(line),
    wireTimeMs: (bytes) => wireTimeMs(bytes, line),
    openLink: () => SerialLink.open({ ...line, path: transport.path, framing: transport.kind }),
  };
}

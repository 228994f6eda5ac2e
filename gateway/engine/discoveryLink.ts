/**
 * Opens the link a discovery scan probes through, as a UnitRequester. Modbus TCP
 * (and the demo simulator) use one MbapConnection and vary the unit id per request,
 * so a device that allows one TCP session sees exactly one. Serial lines (rtu,
 * ascii) and RTU over TCP join the line's shared bus as one more member, so the
 * probes take turns with the polls of devices already configured on that line
 * and never open a second handle on the port.
 */
import type { Transport } from '../api/config';
import { encodeRequest, requestContext, type ModbusRequest } from '../protocol/requests';
import type { ModbusResponse } from '../protocol/responses';
import type { FrameHook } from '../transport/frames';
import { TcpLink } from '../transport/tcp';
import type { Connection } from './connection';
import type { Logger } from './logger';
import { MbapConnection } from './mbapConnection';
import type { Endpoint } from './session';
import type { UnitRequester } from './discovery';
import type { SerialBus } from './serialBus';
import type { BusTransport } from './sessionFactory';

export interface DiscoveryLink extends UnitRequester {
  readonly name: string;
  close(): void;
}

export interface DiscoveryLinkOptions {
  logger: Logger;
  onFrame?: FrameHook;
  demoEndpoint: () => Promise<Endpoint>;
  /** The bus registry the configured devices use (SessionFactory.bus). */
  bus: (transport: BusTransport) => SerialBus;
}

/** The label frames and messages carry for a discovery scan. */
export const DISCOVERY_DEVICE = 'discovery';

/**
 * The bus member a scan attaches as. It asks every unit id, so it owns none: -1
 * matches no reply's unit id when the bus attributes stale replies.
 */
const NO_OWN_UNIT = -1;

export async function openDiscoveryLink(transport: Transport, options: DiscoveryLinkOptions): Promise<DiscoveryLink> {
  if (transport.kind === 'rtu' || transport.kind === 'ascii' || transport.kind === 'rtutcp') {
    return asDiscoveryLink(await options.bus(transport).attach(DISCOVERY_DEVICE, NO_OWN_UNIT, 0));
  }
  const endpoint = transport.kind === 'tcp' ? { host: transport.host, port: transport.port } : await options.demoEndpoint();
  const link = await TcpLink.connect({ host: endpoint.host, port: endpoint.port, connectTimeoutMs: 5000 });
  const connection = new MbapConnection(link, {
    device: DISCOVERY_DEVICE,
    maxInFlight: 1,
    minGapMs: 0,
    // Silent unit ids are the point of a scan; they must not drop the link.
    maxConsecutiveTimeouts: Number.POSITIVE_INFINITY,
    logger: options.logger,
    onFrame: options.onFrame,
  });
  return asDiscoveryLink(connection);
}

function asDiscoveryLink(connection: Connection): DiscoveryLink {
  return {
    name: connection.name,
    request: (unitId: number, request: ModbusRequest, timeoutMs: number) =>
      // A known request gets a decoded response: only opaque requests get bytes back.
      connection.exchange({
        request,
        pdu: encodeRequest(request),
        context: { device: DISCOVERY_DEVICE, unitId, ...requestContext(request) },
        unitId,
        timeoutMs,
      }) as Promise<ModbusResponse>,
    close: () => connection.close('discovery finished'),
  };
}

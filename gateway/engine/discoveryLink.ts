/**
 * Opens the link a discovery scan probes through, as a UnitRequester. Modbus TCP
 * (and the demo simulator) use one MbapConnection and vary the unit id per request,
 * so a device that allows one TCP session sees exactly one.
 */
import type { Transport } from '../api/config';
import { encodeRequest, requestContext, type ModbusRequest } from '../protocol/requests';
import type { FrameHook } from '../transport/frames';
import { TcpLink } from '../transport/tcp';
import type { Logger } from './logger';
import { MbapConnection } from './mbapConnection';
import type { Endpoint } from './session';
import type { UnitRequester } from './discovery';

export interface DiscoveryLink extends UnitRequester {
  readonly name: string;
  close(): void;
}

export interface DiscoveryLinkOptions {
  logger: Logger;
  onFrame?: FrameHook;
  demoEndpoint: () => Promise<Endpoint>;
}

/** The label frames and messages carry for a discovery scan. */
export const DISCOVERY_DEVICE = 'discovery';

export class DiscoveryUnsupportedError extends Error {
  constructor(kind: string) {
    super(`discovery over ${kind} is not available yet: scan through Modbus TCP (a TCP gateway in front of the bus) for now`);
    this.name = 'DiscoveryUnsupportedError';
  }
}

export async function openDiscoveryLink(transport: Transport, options: DiscoveryLinkOptions): Promise<DiscoveryLink> {
  if (transport.kind !== 'tcp' && transport.kind !== 'demo') throw new DiscoveryUnsupportedError(transport.kind);
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
  return {
    name: connection.name,
    request: (unitId: number, request: ModbusRequest, timeoutMs: number) =>
      connection.exchange({
        request,
        pdu: encodeRequest(request),
        context: { device: DISCOVERY_DEVICE, unitId, ...requestContext(request) },
        unitId,
        timeoutMs,
      }),
    close: () => connection.close('discovery finished'),
  };
}

/**
 * Discovery: which unit ids answer on one link. Each id gets a one-register read
 * (FC 3) with a short timeout; any answer, even an exception, means a device is
 * there — except 0x0A/0x0B, which is a TCP gateway saying nothing answered behind
 * it. For each device found, read device identification (43/14, basic objects) and
 * the server id (17); both are optional in the spec, so a refusal is not a failure.
 *
 * Written against UnitRequester (send one request to one unit id) so it runs over
 * whatever connection the session layer provides: Modbus TCP, RTU over TCP, serial.
 */
import type { DeviceIdentification, DiscoveredUnit } from '../api/operations';
import { deviceIdObjectName, DeviceIdCode, DeviceIdObject } from '../protocol/deviceIdentification';
import { ConnectionClosedError, ModbusExceptionError } from '../protocol/errors';
import { ExceptionCode } from '../protocol/exceptions';
import { FunctionCode } from '../protocol/functionCodes';
import type { ModbusRequest } from '../protocol/requests';
import type { ModbusResponse } from '../protocol/responses';

export interface UnitRequester {
  /** Resolves with the reply; rejects with the typed errors of protocol/errors (exception, timeout, closed). */
  request(unitId: number, request: ModbusRequest, timeoutMs: number): Promise<ModbusResponse>;
}

export interface DiscoveryOptions {
  from: number;
  to: number;
  timeoutMs: number;
  onProgress?: (progress: { unitId: number; done: number; total: number }) => void;
  onFound?: (unit: DiscoveredUnit) => void;
  /** Checked between probes: a cancelled scan stops early with what it found. */
  cancelled?: () => boolean;
}

/** TCP-gateway exceptions meaning "nothing answered at this unit id". */
const NOBODY_THERE: readonly number[] = [ExceptionCode.GatewayPathUnavailable, ExceptionCode.GatewayTargetFailedToRespond];

export async function discoverUnits(link: UnitRequester, options: DiscoveryOptions): Promise<DiscoveredUnit[]> {
  const found: DiscoveredUnit[] = [];
  const total = options.to - options.from + 1;
  for (let unitId = options.from; unitId <= options.to; unitId++) {
    if (options.cancelled?.()) break;
    const unit = await probeUnit(link, unitId, options.timeoutMs);
    if (unit) {
      found.push(unit);
      options.onFound?.(unit);
    }
    options.onProgress?.({ unitId, done: unitId - options.from + 1, total });
  }
  return found;
}

/** One unit id: undefined when nothing answers. */
export async function probeUnit(link: UnitRequester, unitId: number, timeoutMs: number): Promise<DiscoveredUnit | undefined> {
  const answers: string[] = [];
  try {
    await link.request(unitId, { functionCode: FunctionCode.ReadHoldingRegisters, address: 0, quantity: 1 }, timeoutMs);
    answers.push('answers FC 3');
  } catch (error) {
    // A lost link is no silent unit: the scan stops with the link's error.
    if (error instanceof ConnectionClosedError) throw error;
    if (!(error instanceof ModbusExceptionError) || NOBODY_THERE.includes(error.exceptionCode)) return undefined;
    answers.push(`answers FC 3 (exception ${error.exceptionCode}: ${error.exceptionName})`);
  }
  const unit: DiscoveredUnit = { unitId, answers };
  const identification = await readIdentification(link, unitId, timeoutMs);
  if (identification) {
    unit.identification = identification;
    answers.push('identification (43/14)');
  }
  try {
    const reply = await link.request(unitId, { functionCode: FunctionCode.ReportServerId }, timeoutMs);
    if (reply.functionCode === FunctionCode.ReportServerId) {
      unit.serverId = { id: reply.serverId, running: reply.running, dataHex: reply.additionalData.toString('hex') };
      answers.push('server id (17)');
    }
  } catch {
    // FC 17 is optional (and serial-line only in the spec); many TCP devices refuse it.
  }
  return unit;
}

/** The basic objects (vendor, product code, revision), following "more follows" a few times. */
async function readIdentification(link: UnitRequester, unitId: number, timeoutMs: number): Promise<DeviceIdentification | undefined> {
  const objects: DeviceIdentification['objects'] = [];
  let objectId = 0;
  for (let round = 0; round < 4; round++) {
    let reply: ModbusResponse;
    try {
      reply = await link.request(
        unitId,
        { functionCode: FunctionCode.EncapsulatedInterface, deviceIdCode: DeviceIdCode.Basic, objectId },
        timeoutMs,
      );
    } catch {
      break;
    }
    if (reply.functionCode !== FunctionCode.EncapsulatedInterface) break;
    for (const object of reply.objects) objects.push({ id: object.id, name: deviceIdObjectName(object.id), value: object.value });
    if (!reply.moreFollows || reply.nextObjectId <= objectId) break;
    objectId = reply.nextObjectId;
  }
  if (objects.length === 0) return undefined;
  const byId = (id: number) => objects.find((object) => object.id === id)?.value;
  const vendorName = byId(DeviceIdObject.VendorName);
  const productCode = byId(DeviceIdObject.ProductCode);
  const revision = byId(DeviceIdObject.MajorMinorRevision);
  return {
    ...(vendorName === undefined ? {} : { vendorName }),
    ...(productCode === undefined ? {} : { productCode }),
    ...(revision === undefined ? {} : { revision }),
    objects,
  };
}

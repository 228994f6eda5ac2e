/**
 * Operations on devices: the read plan, writes and their preview, discovery.
 * A write the gateway refuses (read-only, out of range, input table) is answered
 * as invalid_params with the device, tag, address and what was expected; a write
 * the device refuses or never answers carries the device's own error.
 */
import type { DiscoveredUnit } from '../api/operations';
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import { ModbusError } from '../protocol/errors';
import { WriteRefusedError } from '../tags/writeRequest';
import { listSerialPorts } from '../transport/serialPorts';
import type { MethodHandlers } from './dispatcher';
import type { ChannelServer } from './server';
import { ChannelRequestError } from './requestError';

type OperationHandlers = Pick<MethodHandlers, 'device.plan' | 'tag.write' | 'tag.encodeWrite' | 'discovery.scan' | 'discovery.cancel' | 'serial.ports'>;

export function createOperationHandlers(engine: Engine, logger: Logger): OperationHandlers {
  const requireDevice = (name: string): void => {
    if (!engine.hasDevice(name)) throw new ChannelRequestError('unknown_device', `no device named "${name}"`);
  };
  return {
    'device.plan': (params) => {
      requireDevice(params.device);
      return engine.plan(params.device);
    },
    'tag.encodeWrite': (params) => {
      requireDevice(params.device);
      return translate(() => engine.encodeWrite(params.device, params.tag, params.value));
    },
    'tag.write': async (params) => {
      requireDevice(params.device);
      return translateAsync(() => engine.write(params.device, params.tag, params.value));
    },
    'discovery.scan': async (params) => {
      try {
        return { found: await engine.discover(params) };
      } catch (error) {
        throw new ChannelRequestError('internal', `discovery failed: ${(error as Error).message}`);
      }
    },
    'discovery.cancel': () => ({ cancelled: engine.cancelDiscovery() }),
    'serial.ports': async () => ({ ports: await listSerialPorts({ logger }) }),
  };
}

/** Discovery's progress and finds as channel events. Returns a function that undoes the wiring. */
export function bridgeOperationsToChannel(engine: Engine, server: Pick<ChannelServer, 'broadcast'>): () => void {
  const onProgress = (progress: { unitId: number; done: number; total: number }) => server.broadcast('discovery.progress', progress);
  const onFound = (unit: DiscoveredUnit) => server.broadcast('discovery.found', unit);
  engine.on('discoveryProgress', onProgress);
  engine.on('discoveryFound', onFound);
  return () => {
    engine.off('discoveryProgress', onProgress);
    engine.off('discoveryFound', onFound);
  };
}

function translate<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw asChannelError(error);
  }
}

async function translateAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asChannelError(error);
  }
}

function asChannelError(error: unknown): unknown {
  if (error instanceof WriteRefusedError) return new ChannelRequestError('invalid_params', error.message);
  // The device's exception, a timeout, a lost link: already worded with device, unit and address.
  if (error instanceof ModbusError) return new ChannelRequestError('internal', error.message);
  return error;
}

/**
 * The Registers view's methods on the channel: range reads, register writes (and
 * their preview), and the tag prompts' one-shot preview. Refusals (read-only device,
 * a value that does not fit) are invalid_params with what was expected; an endpoint
 * that cannot be reached, or a device that refuses, answers with its own words.
 */
import { EndpointUnreachableError } from '../engine/adHocSessions';
import type { Engine } from '../engine/engine';
import { encodeRegisterWrite, previewTag, readRegisterRange, writeRegisters } from '../engine/registerAccess';
import { ModbusError } from '../protocol/errors';
import { WriteRefusedError } from '../tags/writeRequest';
import type { MethodHandlers } from './dispatcher';
import { ChannelRequestError } from './requestError';

type RegisterHandlers = Pick<MethodHandlers, 'registers.read' | 'registers.encodeWrite' | 'registers.write' | 'tag.preview'>;

export function createRegisterHandlers(engine: Engine): RegisterHandlers {
  const checked = async <T>(target: { device: string } | object, work: () => Promise<T>): Promise<T> => {
    if ('device' in target && typeof target.device === 'string' && !engine.hasDevice(target.device)) {
      throw new ChannelRequestError('unknown_device', `no device named "${target.device}"`);
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof WriteRefusedError) throw new ChannelRequestError('invalid_params', `${error.message} (expected ${error.expected})`);
      // The device's refusal, a timeout, a lost link, an endpoint that does not answer: already worded with device, unit and address.
      if (error instanceof ModbusError || error instanceof EndpointUnreachableError) throw new ChannelRequestError('internal', error.message);
      throw error;
    }
  };
  return {
    'registers.read': (params) => checked(params.target, () => readRegisterRange(engine, params.target, params.table, params.start, params.count)),
    'registers.encodeWrite': (params) => checked(params.target, () => encodeRegisterWrite(engine, params)),
    'registers.write': (params) => checked(params.target, () => writeRegisters(engine, params)),
    'tag.preview': (params) => checked(params.target, () => previewTag(engine, params.target, params.tag, params.addressBase)),
  };
}

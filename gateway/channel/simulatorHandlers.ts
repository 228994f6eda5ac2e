/** `simulator.setFault` and `simulator.faults`: faults on purpose in the demo devices, against the engine's DemoFaults. */
import { FaultRefusedError, type DemoFaults } from '../engine/demoFaults';
import type { MethodHandlers } from './dispatcher';
import { ChannelRequestError } from './requestError';

export function createSimulatorHandlers(faults: DemoFaults): Pick<MethodHandlers, 'simulator.setFault' | 'simulator.faults'> {
  return {
    'simulator.setFault': (params) => {
      try {
        return { faults: faults.set(params.device, params.fault) };
      } catch (error) {
        if (error instanceof FaultRefusedError) throw new ChannelRequestError('invalid_params', error.message);
        throw error;
      }
    },
    'simulator.faults': () => ({ faults: faults.states() }),
  };
}

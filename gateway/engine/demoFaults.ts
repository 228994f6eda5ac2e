/**
 * Faults on the demo devices, by device name: the engine's side of
 * `simulator.setFault`. A demo device is its unit id on the shared demo simulator,
 * so the fault is set for that unit id; what the simulator injects is marked in
 * the capture against the device it hit (capture/injectionLedger.ts).
 */
import type { Device } from '../api/config';
import { FAULTS_NOT_ON_TCP, type SimulatorFault, type SimulatorFaultState } from '../api/simulator';
import type { InjectionLedger } from '../capture/injectionLedger';
import { DEFAULT_DELAY_MS, describeFault, type InjectedFault } from '../simulator/faultPlan';
import type { DemoHost } from './demoHost';
import { UnknownDeviceError } from './unknownDeviceError';
import type { Logger } from './logger';

/** A fault asked of a device that cannot have it (not simulated, or a kind its framing cannot carry). */
export class FaultRefusedError extends Error {
  readonly code = 'fault_refused';
  constructor(message: string) {
    super(message);
    this.name = 'FaultRefusedError';
  }
}

export class DemoFaults {
  constructor(
    private readonly host: DemoHost,
    private readonly devices: () => readonly Device[],
    private readonly ledger: InjectionLedger,
    private readonly logger: Logger,
  ) {}

  set(deviceName: string, fault: SimulatorFault | null): SimulatorFaultState[] {
    const device = this.devices().find((candidate) => candidate.name === deviceName);
    if (!device) throw new UnknownDeviceError(deviceName);
    if (device.transport.kind !== 'demo') {
      throw new FaultRefusedError(
        `"${deviceName}" is a ${device.transport.kind} device: faults can only be injected into simulated devices (transport kind "demo")`,
      );
    }
    if (fault && FAULTS_NOT_ON_TCP.includes(fault.kind)) {
      throw new FaultRefusedError(`"${fault.kind}" needs a serial framing (RTU or ASCII); "${deviceName}" speaks Modbus TCP`);
    }
    this.host.faults.set(device.unitId, fault, deviceName);
    const what = fault ? describeFault(fault) : 'fault cleared';
    this.logger.log('warn', `simulator, unit ${device.unitId}: ${what}`, deviceName);
    return this.states();
  }

  states(): SimulatorFaultState[] {
    return this.host.faults.states();
  }

  /** The simulator injected a fault: mark it in the capture. */
  record(injected: InjectedFault): void {
    const address = this.host.address;
    const device = this.devices().find((candidate) => candidate.transport.kind === 'demo' && candidate.unitId === injected.unitId);
    const fault = this.host.faults.states().find((state) => state.unitId === injected.unitId)?.fault;
    this.ledger.record(injected, {
      link: address ? `tcp://${address.host}:${address.port}` : 'demo',
      device: device?.name,
      sendDelayMs: fault?.kind === 'delay' ? (fault.delayMs ?? DEFAULT_DELAY_MS) : undefined,
    });
  }
}

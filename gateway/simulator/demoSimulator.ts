/**
 * The demo device served over Modbus TCP. Used in-process by the engine (transport
 * kind "demo") and on its own by `bifrost-gateway simulate`. Every unit id is
 * answered: the demo is one device.
 */
import type { Logger } from '../engine/logger';
import { DemoDevice } from './demoDevice';
import type { FaultPlan, InjectionHook } from './faultPlan';
import { handleRequestPdu } from './requestHandler';
import { ModbusTcpServer, type ListenAddress } from './tcpServer';

export interface DemoSimulator {
  readonly address: ListenAddress;
  readonly device: DemoDevice;
  readonly server: ModbusTcpServer;
  close(): Promise<void>;
}

export interface DemoSimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** What the simulator does, at debug level: clients coming and going, frames it drops. */
  logger?: Logger;
  /** Faults to inject on purpose, per unit id (switchable while it runs). */
  faults?: FaultPlan;
  onInjected?: InjectionHook;
}

export async function startDemoSimulator(options: DemoSimulatorOptions): Promise<DemoSimulator> {
  const device = new DemoDevice();
  const server = new ModbusTcpServer({
    handler: (pdu) => {
      device.update();
      return handleRequestPdu(device.model, pdu);
    },
    logger: options.logger,
    faults: options.faults,
    onInjected: options.onInjected,
  });
  const address = await server.listen(options.host, options.port);
  return {
    address,
    device,
    server,
    close: () => server.close(),
  };
}

/**
 * The in-process demo simulator behind transport kind "demo": started on first use,
 * on 127.0.0.1 and a free port, and shared by every demo device. Sessions reach it
 * over real TCP, so the demo exercises exactly the code a real device does.
 *
 * Its faults (simulator/faultPlan.ts) are per unit id and outlive a restart of the
 * simulator: a device made to misbehave stays so until the fault is cleared.
 */
import { FaultPlan, type InjectionHook } from '../simulator/faultPlan';
import { startDemoSimulator, type DemoSimulator } from '../simulator/demoSimulator';
import type { Logger } from './logger';
import type { Endpoint } from './session';

export const DEMO_HOST = '127.0.0.1';

export class DemoHost {
  private simulator?: Promise<DemoSimulator>;
  readonly faults = new FaultPlan();
  /** Where the simulator listens while it runs. */
  address?: Endpoint;

  constructor(
    private readonly logger: Logger,
    private readonly onInjected?: InjectionHook,
  ) {}

  /** Where the demo simulator listens; starts it the first time. */
  async endpoint(): Promise<Endpoint> {
    this.simulator ??= this.start();
    const { address } = await this.simulator;
    return { host: address.host, port: address.port };
  }

  async close(): Promise<void> {
    const simulator = this.simulator;
    this.simulator = undefined;
    this.address = undefined;
    if (simulator) await (await simulator).close();
  }

  private async start(): Promise<DemoSimulator> {
    try {
      const simulator = await startDemoSimulator({
        host: DEMO_HOST,
        port: 0,
        // The built-in demo's chatter is trace: it would drown a debug log about real devices.
        logger: { log: (_level, message) => this.logger.log('trace', `demo simulator: ${message}`) },
        faults: this.faults,
        onInjected: this.onInjected,
      });
      this.address = { host: simulator.address.host, port: simulator.address.port };
      this.logger.log('info', `demo simulator listening on ${simulator.address.host}:${simulator.address.port}`);
      return simulator;
    } catch (error) {
      // Let the next demo session try again instead of caching the failure.
      this.simulator = undefined;
      throw error;
    }
  }
}

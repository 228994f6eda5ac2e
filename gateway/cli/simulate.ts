/** `bifrost-gateway simulate`: the demo device alone, as a Modbus TCP server. */
import { startDemoSimulator, type DemoSimulator } from '../simulator/demoSimulator';
import { parseFlags, parseHostPort } from './args';
import { SIMULATE_HELP } from './help';
import { onShutdown } from './lifecycle';
import { describeListenError } from './listenError';
import { stderrLogger } from './stderrLogger';
import { StartupError } from './startupError';

const FLAGS = {
  listen: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEFAULT_SIMULATOR_LISTEN = '127.0.0.1:5020';

export async function simulate(args: readonly string[]): Promise<void> {
  const flags = parseFlags('simulate', args, FLAGS);
  if (flags.help) {
    process.stdout.write(SIMULATE_HELP);
    return;
  }
  const { host, port } = parseHostPort(flags.listen ?? DEFAULT_SIMULATOR_LISTEN, '--listen', 'simulate');
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  let simulator: DemoSimulator;
  try {
    simulator = await startDemoSimulator({ host, port, onLog: (message) => logger.log('debug', message) });
  } catch (error) {
    throw new StartupError(describeListenError(error as Error, host, port));
  }
  onShutdown(
    async (why) => {
      logger.log('info', `stopping: ${why}`);
      await simulator.close();
    },
    { watchStdin: false },
  );
  const { address } = simulator;
  // On stdout, so a script that asked for port 0 can read which port it got.
  process.stdout.write(`Bifrost demo simulator listening on ${address.host}:${address.port} (Modbus TCP, any unit id)\n`);
}

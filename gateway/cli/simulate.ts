/**
 * `bifrost-gateway simulate`: the demo device alone, as a Modbus TCP server, or
 * with --rtu/--ascii PATH on a serial line (a real port or one end of a socat pty
 * pair) for the unit ids given, emulating the line's wire time.
 */
import type { Parity } from '../api/config';
import { startDemoSimulator, type DemoSimulator } from '../simulator/demoSimulator';
import { startSerialSimulator, type SerialSimulator } from '../simulator/serialServer';
import type { LineSettings } from '../transport/serialTiming';
import type { SimulatorFault } from '../api/simulator';
import { EVERY_UNIT, FaultPlan } from '../simulator/faultPlan';
import { parseFlags, parseHostPort } from './args';
import { parseFaultFlags } from './faultFlag';
import { SIMULATE_HELP } from './help';
import { onShutdown } from './lifecycle';
import { describeListenError } from '../transport/listenError';
import { stderrLogger } from './stderrLogger';
import { StartupError } from './startupError';
import { UsageError } from './usageError';

const FLAGS = {
  listen: { type: 'string' },
  rtu: { type: 'string' },
  ascii: { type: 'string' },
  baud: { type: 'string' },
  parity: { type: 'string' },
  'stop-bits': { type: 'string' },
  units: { type: 'string' },
  'no-wire-time': { type: 'boolean' },
  fault: { type: 'string' },
  'fault-every': { type: 'string' },
  'fault-probability': { type: 'string' },
  'fault-units': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseFlags<typeof FLAGS>>;

export const DEFAULT_SIMULATOR_LISTEN = '127.0.0.1:5020';

export async function simulate(args: readonly string[]): Promise<void> {
  const flags = parseFlags('simulate', args, FLAGS);
  if (flags.help) {
    process.stdout.write(SIMULATE_HELP);
    return;
  }
  if (flags.rtu !== undefined || flags.ascii !== undefined) return simulateSerial(flags);
  const { host, port } = parseHostPort(flags.listen ?? DEFAULT_SIMULATOR_LISTEN, '--listen', 'simulate');
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  const faults = faultPlan(parseFaultFlags(flags, 'tcp'), flags['fault-units']);
  let simulator: DemoSimulator;
  try {
    simulator = await startDemoSimulator({
      host,
      port,
      logger,
      faults,
      onInjected: (injected) => logger.log('info', `unit ${injected.unitId}: ${injected.label}`),
    });
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

async function simulateSerial(flags: Flags): Promise<void> {
  if (flags.rtu !== undefined && flags.ascii !== undefined) throw new UsageError('give --rtu PATH or --ascii PATH, not both', 'simulate');
  if (flags.listen !== undefined) throw new UsageError('--listen is for Modbus TCP; a serial simulator takes --rtu or --ascii PATH', 'simulate');
  const framing = flags.rtu !== undefined ? 'rtu' : 'ascii';
  const path = (flags.rtu ?? flags.ascii)!;
  const line: LineSettings = {
    baudRate: parseBaud(flags.baud ?? '9600'),
    parity: parseParity(flags.parity ?? 'even'),
    stopBits: parseStopBits(flags['stop-bits'] ?? '1'),
    dataBits: framing === 'rtu' ? 8 : 7,
  };
  const units = parseUnits(flags.units ?? '1');
  const faults = faultPlan(parseFaultFlags(flags, framing), flags['fault-units']);
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  let simulator: SerialSimulator;
  try {
    simulator = await startSerialSimulator({
      path,
      framing,
      line,
      units,
      emulateWireTime: !flags['no-wire-time'],
      logger,
      faults,
      onInjected: (injected) => logger.log('info', `unit ${injected.unitId}: ${injected.label}`),
      onClosed: (error) => {
        logger.log('error', `${path} closed: ${error?.message ?? 'closed'}`);
        process.exit(1);
      },
    });
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  onShutdown(
    async (why) => {
      logger.log('info', `stopping: ${why}`);
      await simulator.close();
    },
    { watchStdin: false },
  );
  process.stdout.write(`Bifrost demo simulator serving ${simulator.description}\n`);
}

function parseBaud(text: string): number {
  const baud = Number(text);
  if (!/^\d+$/.test(text) || baud < 300 || baud > 4_000_000) {
    throw new UsageError(`--baud must be a rate from 300 to 4000000, like 9600 or 115200, not "${text}"`, 'simulate');
  }
  return baud;
}

function parseParity(text: string): Parity {
  if (text === 'none' || text === 'even' || text === 'odd') return text;
  throw new UsageError(`--parity must be none, even or odd, not "${text}"`, 'simulate');
}

function parseStopBits(text: string): 1 | 2 {
  if (text === '1' || text === '2') return Number(text) as 1 | 2;
  throw new UsageError(`--stop-bits must be 1 or 2, not "${text}"`, 'simulate');
}

function faultPlan(fault: SimulatorFault | undefined, unitsText: string | undefined): FaultPlan | undefined {
  if (!fault) {
    if (unitsText !== undefined) throw new UsageError('--fault-units needs a --fault KIND', 'simulate');
    return undefined;
  }
  const plan = new FaultPlan();
  if (unitsText === undefined) plan.set(EVERY_UNIT, fault);
  else for (const unit of parseUnits(unitsText, '--fault-units')) plan.set(unit, fault);
  return plan;
}

function parseUnits(text: string, flag = '--units'): number[] {
  const units = text.split(',').map((part) => part.trim());
  for (const unit of units) {
    if (!/^\d+$/.test(unit) || Number(unit) < 1 || Number(unit) > 247) {
      throw new UsageError(`${flag} takes unit ids 1 to 247 separated by commas, like 1,2,3; "${unit}" is not one`, 'simulate');
    }
  }
  return units.map(Number);
}

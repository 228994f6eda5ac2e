/**
 * `simulate --fault KIND[:ARG]`: a fault for the simulator to inject from the start
 * (api/simulator.ts lists the kinds). ARG is the kind's one number: delay:3000 (ms),
 * exception:2 (code), split:5 (ms between bytes), garbage:16 (bytes).
 */
import { FAULTS_NOT_ON_SERIAL, FAULTS_NOT_ON_TCP, FaultKind, SimulatorFault } from '../api/simulator';
import { UsageError } from './usageError';

const ARGUMENT: Partial<Record<FaultKind, keyof SimulatorFault>> = {
  delay: 'delayMs',
  exception: 'exceptionCode',
  split: 'gapMs',
  garbage: 'bytes',
};

export interface FaultFlags {
  fault?: string;
  'fault-every'?: string;
  'fault-probability'?: string;
}

export function parseFaultFlags(flags: FaultFlags, framing: 'tcp' | 'rtu' | 'ascii'): SimulatorFault | undefined {
  if (flags.fault === undefined) {
    if (flags['fault-every'] !== undefined || flags['fault-probability'] !== undefined) {
      throw new UsageError('--fault-every and --fault-probability need a --fault KIND', 'simulate');
    }
    return undefined;
  }
  const [kindText, argText, ...rest] = flags.fault.split(':');
  const kind = FaultKind.safeParse(kindText);
  if (!kind.success || rest.length > 0) {
    throw new UsageError(`--fault takes KIND[:ARG] with KIND one of ${FaultKind.options.join(', ')}; not "${flags.fault}"`, 'simulate');
  }
  const fault: Record<string, unknown> = { kind: kind.data };
  if (argText !== undefined) {
    const field = ARGUMENT[kind.data];
    if (!field) throw new UsageError(`--fault ${kind.data} takes no argument, not ":${argText}"`, 'simulate');
    fault[field] = integer(argText, `--fault ${kind.data}:ARG`);
  }
  if (flags['fault-every'] !== undefined) fault.everyNth = integer(flags['fault-every'], '--fault-every');
  if (flags['fault-probability'] !== undefined) fault.probability = Number(flags['fault-probability']);
  const parsed = SimulatorFault.safeParse(fault);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path[0] === 'everyNth' ? '--fault-every' : issue.path[0] === 'probability' ? '--fault-probability' : `--fault ${kind.data}:ARG`;
    throw new UsageError(`${where} is out of range: ${describeRange(String(issue.path[0]))}`, 'simulate');
  }
  const refused = framing === 'tcp' ? FAULTS_NOT_ON_TCP : FAULTS_NOT_ON_SERIAL;
  if (refused.includes(kind.data)) {
    throw new UsageError(`--fault ${kind.data} cannot happen on ${framing === 'tcp' ? 'Modbus TCP' : `an ${framing.toUpperCase()} line`}`, 'simulate');
  }
  return parsed.data;
}

function integer(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not "${text}"`, 'simulate');
  return Number(text);
}

function describeRange(field: string): string {
  switch (field) {
    case 'everyNth':
      return 'a whole number from 1 (every request)';
    case 'probability':
      return 'a number from 0 to 1';
    case 'exceptionCode':
      return 'an exception code from 1 to 255';
    case 'bytes':
      return '1 to 1024 bytes';
    default:
      return 'milliseconds from 0 to 600000';
  }
}

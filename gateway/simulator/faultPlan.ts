/**
 * Which requests a simulator answers wrongly on purpose: a fault per unit id (one
 * simulated device each), each with its own count so "every 3rd request" means
 * every 3rd request to that device, and a tally of what was injected.
 */
import type { SimulatorFault, SimulatorFaultState } from '../api/simulator';

/** What the simulator does instead of answering plainly, and how the capture names it. */
export interface ChosenFault {
  fault: SimulatorFault;
  label: string;
}

interface Entry {
  target: string;
  fault: SimulatorFault;
  requests: number;
  injected: number;
}

const LABELS: Record<SimulatorFault['kind'], (fault: SimulatorFault) => string> = {
  delay: (f) => `reply delayed ${f.delayMs ?? DEFAULT_DELAY_MS} ms`,
  drop: () => 'reply dropped',
  exception: (f) => `exception 0x${(f.exceptionCode ?? DEFAULT_EXCEPTION_CODE).toString(16).padStart(2, '0')} instead of the reply`,
  wrongTransactionId: () => 'wrong transaction id',
  wrongUnitId: () => 'wrong unit id',
  badChecksum: () => 'bad checksum',
  split: (f) => `reply split into single bytes ${f.gapMs ?? DEFAULT_GAP_MS} ms apart`,
  coalesce: () => 'reply held for the next one, both in one write',
  garbage: (f) => `${f.bytes ?? DEFAULT_GARBAGE_BYTES} garbage bytes instead of the reply`,
  reset: () => 'connection reset',
  silence: () => 'silence, connection open',
};

export const DEFAULT_DELAY_MS = 5000;
export const DEFAULT_EXCEPTION_CODE = 0x04;
export const DEFAULT_GAP_MS = 2;
export const DEFAULT_GARBAGE_BYTES = 8;

export function describeFault(fault: SimulatorFault): string {
  const which = fault.everyNth && fault.everyNth > 1 ? `, 1 in ${fault.everyNth}` : '';
  const chance = fault.probability !== undefined && fault.probability < 1 ? `, p=${fault.probability}` : '';
  return `fault: ${LABELS[fault.kind](fault)}${which}${chance}`;
}

/** The key of a fault on every unit id the simulator answers. */
export const EVERY_UNIT = 'every unit';
type UnitKey = number | typeof EVERY_UNIT;

export class FaultPlan {
  private readonly entries = new Map<UnitKey, Entry>();

  /** `random` is injectable so a test can make "probability" deterministic. */
  constructor(private readonly random: () => number = Math.random) {}

  get empty(): boolean {
    return this.entries.size === 0;
  }

  set(unitId: UnitKey, fault: SimulatorFault | null, target = typeof unitId === 'number' ? `unit ${unitId}` : unitId): void {
    if (fault === null) this.entries.delete(unitId);
    else this.entries.set(unitId, { target, fault, requests: 0, injected: 0 });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Count a request to `unitId` and say whether (and how) to answer it wrongly. */
  choose(unitId: number): ChosenFault | undefined {
    const entry = this.entries.get(unitId) ?? this.entries.get(EVERY_UNIT);
    if (!entry) return undefined;
    entry.requests++;
    const { fault } = entry;
    // Silence is a state of the device, not a chance per request.
    if (fault.kind !== 'silence') {
      if (entry.requests % (fault.everyNth ?? 1) !== 0) return undefined;
      if (fault.probability !== undefined && this.random() >= fault.probability) return undefined;
    }
    entry.injected++;
    return { fault, label: describeFault(fault) };
  }

  states(): SimulatorFaultState[] {
    return [...this.entries].map(([unitId, entry]) => ({
      target: entry.target,
      ...(typeof unitId === 'number' ? { unitId } : {}),
      fault: entry.fault,
      injected: entry.injected,
      requests: entry.requests,
    }));
  }
}

/** Told for every faulted request: what was done, and the bytes sent (none for a drop, silence or reset). */
export interface InjectedFault {
  label: string;
  unitId: number;
  bytes?: Buffer;
}

export type InjectionHook = (injected: InjectedFault) => void;

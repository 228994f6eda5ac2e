/**
 * Which units behind one connection are answering. A TCP gateway in front of a
 * serial line serves several units; one unit that never answers costs every request
 * to it a whole timeout, and with one request at a time on the line the healthy
 * units wait behind each of them (from ~1 ms to ~2 s median). A unit that missed
 * its last MISSES_TO_MARK_DOWN requests is marked down: its requests are refused at
 * once, and one request per backoff interval goes through as a probe. A probe that
 * gets any answer (an exception too) marks the unit up again.
 */
import { describeRequest, ModbusError, type RequestContext } from '../protocol/errors';
import { Backoff } from './backoff';

export const MISSES_TO_MARK_DOWN = 3;
const PROBE_BACKOFF = { initialMs: 1000, maxMs: 10_000, factor: 2, jitter: 0.2 };

interface UnitState {
  misses: number;
  down: boolean;
  /** performance.now() from which the next probe may go. */
  probeAt: number;
  /** A probe is at the device now: the others stay refused until it is settled. */
  probing: boolean;
  backoff: Backoff;
}

/** What to do with a request to a unit: send it, send it as the probe, or refuse it now. */
export type UnitAdmission = 'send' | 'probe' | 'down';

export class UnitHealth {
  private readonly units = new Map<number, UnitState>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {}

  admit(unitId: number): UnitAdmission {
    const unit = this.units.get(unitId);
    if (!unit?.down) return 'send';
    if (unit.probing || this.now() < unit.probeAt) return 'down';
    unit.probing = true;
    return 'probe';
  }

  isDown(unitId: number): boolean {
    return this.units.get(unitId)?.down ?? false;
  }

  /** The unit answered (a normal reply or an exception): it is up. Returns whether it was down. */
  answered(unitId: number): boolean {
    const unit = this.units.get(unitId);
    if (!unit) return false;
    const wasDown = unit.down;
    this.units.delete(unitId);
    return wasDown;
  }

  /** No reply in time. Returns true when this miss marks the unit down. */
  missed(unitId: number): boolean {
    let unit = this.units.get(unitId);
    if (!unit) {
      unit = { misses: 0, down: false, probeAt: 0, probing: false, backoff: new Backoff(PROBE_BACKOFF, this.random) };
      this.units.set(unitId, unit);
    }
    unit.misses++;
    const wasProbing = unit.probing;
    unit.probing = false;
    if (unit.down || wasProbing) {
      unit.down = true;
      unit.probeAt = this.now() + unit.backoff.next();
      return false;
    }
    if (unit.misses < MISSES_TO_MARK_DOWN) return false;
    unit.down = true;
    unit.probeAt = this.now() + unit.backoff.next();
    return true;
  }

  /** The probe was not settled by the unit (the link dropped): another may go at its time. */
  probeAbandoned(unitId: number): void {
    const unit = this.units.get(unitId);
    if (unit) unit.probing = false;
  }

  /** Milliseconds until the unit's next probe (0 when up or due). */
  nextProbeInMs(unitId: number): number {
    const unit = this.units.get(unitId);
    return unit?.down ? Math.max(0, Math.round(unit.probeAt - this.now())) : 0;
  }
}

/** A request refused unsent because its unit is marked down; the proxy answers it with 0x0B. */
export class UnitDownError extends ModbusError {
  readonly code = 'unitDown';
  readonly retryInMs: number;

  constructor(context: RequestContext, retryInMs: number) {
    super(
      `${context.device ? `${context.device}: ` : ''}unit ${context.unitId} did not answer its last ${MISSES_TO_MARK_DOWN} requests and is marked down; ` +
        `refused ${describeRequest(context)} at once (next probe in ${retryInMs} ms)`,
      context,
      'a unit that answers',
    );
    this.retryInMs = retryInMs;
  }
}

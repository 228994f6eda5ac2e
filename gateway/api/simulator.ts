/**
 * Channel contract for faults injected on purpose by the gateway's own simulator:
 * a simulated device that misbehaves the way field devices do, switched at run
 * time, so polling, proxies and the views can be tried against it.
 * Spread into Methods in channel.ts; must not import channel.ts.
 */
import { z } from 'zod';

export const FaultKind = z.enum([
  /** The reply leaves `delayMs` late (default 5000: past any usual timeout). */
  'delay',
  /** The request is read and acted on, and no reply is sent. */
  'drop',
  /** An exception reply with `exceptionCode` (default 04, server device failure). */
  'exception',
  /** The reply carries another transaction id (Modbus TCP only). */
  'wrongTransactionId',
  /** The reply carries another unit id. */
  'wrongUnitId',
  /** The reply's CRC (RTU) or LRC (ASCII) is wrong (serial framings only). */
  'badChecksum',
  /** The reply leaves one byte at a time, `gapMs` apart (default 2). */
  'split',
  /** The reply is held and leaves in one write with the next one. */
  'coalesce',
  /** `bytes` random bytes (default 8) leave instead of the reply. */
  'garbage',
  /** The connection is reset (TCP RST) instead of answered (Modbus TCP only). */
  'reset',
  /** Nothing is answered while the fault is set, and the connection stays open. */
  'silence',
]);
export type FaultKind = z.infer<typeof FaultKind>;

/** Kinds a framing cannot carry: RTU and ASCII have no transaction id and no connection; MBAP has no checksum. */
export const FAULTS_NOT_ON_SERIAL: readonly FaultKind[] = ['wrongTransactionId', 'reset'];
export const FAULTS_NOT_ON_TCP: readonly FaultKind[] = ['badChecksum'];

export const SimulatorFault = z
  .object({
    kind: FaultKind,
    delayMs: z.number().int().min(0).max(600_000).optional(),
    exceptionCode: z.number().int().min(1).max(255).optional(),
    gapMs: z.number().int().min(0).max(10_000).optional(),
    bytes: z.number().int().min(1).max(1024).optional(),
    /** Only every Nth request is faulted (1: every one, the default). */
    everyNth: z.number().int().min(1).optional(),
    /** Each request is faulted with this probability (default 1). */
    probability: z.number().min(0).max(1).optional(),
  })
  .strict();
export type SimulatorFault = z.infer<typeof SimulatorFault>;

export const SimulatorFaultState = z.object({
  /** The device (or "unit N", "every unit" on a bare simulator) the fault applies to. */
  target: z.string(),
  /** Absent: every unit id the simulator answers. */
  unitId: z.number().int().optional(),
  fault: SimulatorFault,
  /** Replies faulted since the fault was set. */
  injected: z.number().int(),
  /** Requests seen since the fault was set. */
  requests: z.number().int(),
});
export type SimulatorFaultState = z.infer<typeof SimulatorFaultState>;

export const SimulatorMethods = {
  /**
   * Make a simulated (transport kind "demo") device misbehave; `fault: null` clears it.
   * Devices of other kinds are refused: the gateway cannot make a real device fail.
   */
  'simulator.setFault': {
    params: z.object({ device: z.string().min(1), fault: SimulatorFault.nullable() }).strict(),
    result: z.object({ faults: z.array(SimulatorFaultState) }).strict(),
  },
  /** The faults set now, with what they did so far. */
  'simulator.faults': {
    params: z.object({}).strict(),
    result: z.object({ faults: z.array(SimulatorFaultState) }).strict(),
  },
} as const;

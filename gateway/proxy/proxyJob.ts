/**
 * One client request inside a proxy, from receipt to its answer. A class with every
 * field set in the constructor: thousands are alive under load, and objects of one
 * fixed shape keep the property accesses on the hot path monomorphic.
 */
import type { ExchangeRequest } from '../engine/connection';
import type { ProxyClient } from './proxyClient';

export class Job {
  /** The unit id sent upstream (after the proxy's unit routing). */
  upstreamUnit: number;
  /** The PDU decoded once (or opaque), handed to the session as it is. */
  request: ExchangeRequest | undefined = undefined;
  /** The read cache's key, for reads when the cache is on. */
  cacheKey: string | undefined = undefined;
  /** coalesceReads: the read's key (readKey()), or -1 for anything else. */
  readKey = -1;
  /** coalesceReads: identical reads that joined this one, answered with its reply. */
  followers: Job[] | undefined = undefined;
  readonly receivedAt = performance.now();
  /** Past this (performance.now()) the request is answered 0x0B: receipt + the proxy's requestTimeoutMs. */
  deadline = 0;
  /** Counted in the client's `pending` (queued or at the device). */
  pending = false;
  /** In the proxy's queue now. */
  queued = false;
  answered = false;
  /**
   * Its frames go to the capture. Not while its client floods: a request that arrives
   * with the client already at maxQueued is answered busy uncaptured, or a flood would
   * churn the capture ring (and the heap with it) faster than anyone could read it.
   */
  captured = true;

  constructor(
    readonly client: ProxyClient,
    readonly transactionId: number,
    readonly clientUnit: number,
    readonly pdu: Buffer,
    /** "proxy NAME #N": the same on both legs' frames. */
    readonly correlation: string,
  ) {
    this.upstreamUnit = clientUnit;
  }
}

/**
 * A number that is the same for identical reads (FC 1–4, 5 bytes: unit, function,
 * address, count; 48 bits, exact in a double) and -1 for any other PDU.
 */
export function readKey(unitId: number, pdu: Buffer): number {
  return pdu.length === 5 ? unitId * 2 ** 40 + pdu.readUIntBE(0, 5) : -1;
}

/**
 * Part 2: one scan of N tags. Bifrost plans block reads (planReads) and sends them
 * through its session; the naive loop reads each tag on its own with modbus-serial,
 * as most scripts do. Both decode every tag the same way, so what differs is the
 * number of round trips.
 */
import { planReads } from '../../gateway/engine/planner';
import { decodeTagFromBlock } from '../../gateway/tags/tagValue';
import type { ResolvedTag } from '../../gateway/tags/resolve';
import type { BenchClient, TableData } from './clients';
import { nowMs } from './stats';

export interface ScanResult {
  requestsPerScan: number;
  scans: number;
  tagsPerSecond: number;
  msPerScan: number;
  /** Decoded values that differ from what the responder holds (should be 0). */
  wrongValues: number;
}

export interface ScanBudget {
  maxScans: number;
  /** No new scan starts after this; a started one finishes. */
  maxMs: number;
}

interface Read {
  table: ResolvedTag['table'];
  start: number;
  quantity: number;
  tags: readonly ResolvedTag[];
}

/** What the bench responder holds: register n = n, bit n set when n % 3 = 0. */
function wrong(tag: ResolvedTag, value: unknown): boolean {
  if (tag.table === 'coil' || tag.table === 'discreteInput') return value !== (tag.offset % 3 === 0);
  if (tag.type === 'uint16') return value !== tag.offset;
  if (tag.type === 'uint32') return value !== tag.offset * 0x10000 + tag.offset + 1;
  return false;
}

async function scanOnce(client: BenchClient, reads: readonly Read[]): Promise<number> {
  let wrongValues = 0;
  for (const read of reads) {
    const data: TableData = await client.read(read.table, read.start, read.quantity);
    for (const tag of read.tags) if (wrong(tag, decodeTagFromBlock(tag, read.start, data).value)) wrongValues++;
  }
  return wrongValues;
}

async function measure(client: BenchClient, reads: readonly Read[], tagCount: number, budget: ScanBudget): Promise<ScanResult> {
  const started = nowMs();
  let scans = 0;
  let wrongValues = 0;
  while (scans < budget.maxScans && (scans === 0 || nowMs() - started < budget.maxMs)) {
    wrongValues += await scanOnce(client, reads);
    scans++;
  }
  const elapsed = nowMs() - started;
  return {
    requestsPerScan: reads.length,
    scans,
    tagsPerSecond: (tagCount * scans) / (elapsed / 1000),
    msPerScan: elapsed / scans,
    wrongValues,
  };
}

export function plannedScan(client: BenchClient, tags: readonly ResolvedTag[], budget: ScanBudget): Promise<ScanResult> {
  const reads: Read[] = planReads(tags).map((block) => ({ table: block.table, start: block.start, quantity: block.quantity, tags: block.tags }));
  return measure(client, reads, tags.length, budget);
}

export function naiveScan(client: BenchClient, tags: readonly ResolvedTag[], budget: ScanBudget): Promise<ScanResult> {
  const reads: Read[] = tags.map((tag) => ({ table: tag.table, start: tag.offset, quantity: tag.width, tags: [tag] }));
  return measure(client, reads, tags.length, budget);
}

/**
 * The tag list of the scan benchmark: one TCP device with N tags laid out the way
 * a real register map often is: 60% holding registers of mixed types (uint16,
 * float32, int16, uint32), 20% input registers, 20% coils, each table contiguous
 * from 0. Built as config JSON and checked by the real schema and resolver.
 */
import { Tag, type DataType } from '../../gateway/api/config';
import { LIMITS } from '../../gateway/protocol/limits';
import { isBitTable, resolveTag, type ResolvedTag } from '../../gateway/tags/resolve';

const HOLDING_TYPES: readonly { type: DataType; width: number }[] = [
  { type: 'uint16', width: 1 },
  { type: 'float32', width: 2 },
  { type: 'int16', width: 1 },
  { type: 'uint32', width: 2 },
];

export function makeTags(count: number): ResolvedTag[] {
  const holding = Math.round(count * 0.6);
  const input = Math.round(count * 0.2);
  const coils = count - holding - input;
  const configs: unknown[] = [];
  let offset = 0;
  for (let i = 0; i < holding; i++) {
    const { type, width } = HOLDING_TYPES[i % HOLDING_TYPES.length];
    configs.push({ name: `hr${i}`, address: `HR:${offset}`, type });
    offset += width;
  }
  for (let i = 0; i < input; i++) configs.push({ name: `ir${i}`, address: `IR:${i}`, type: 'uint16' });
  for (let i = 0; i < coils; i++) configs.push({ name: `co${i}`, address: `CO:${i}`, type: 'bool' });
  return configs.map((config) => {
    const resolution = resolveTag(Tag.parse(config));
    if (!resolution.ok) throw new Error(`bench tag ${resolution.name}: ${resolution.error}`);
    return resolution.tag;
  });
}

export interface RequestBounds {
  /** Σ ceil(span / limit) over the tables: the spec's floor if reads could cut anywhere. */
  floor: number;
  /** The same when a tag may not be cut between two reads (a float32 is one read). */
  wholeTags: number;
}

/**
 * The fewest reads the spec's limits allow, computed independently of the planner:
 * per table, walk the tags in address order and start a new read only when the next
 * tag would push the read past the limit (with no gaps, that greedy cut is optimal).
 */
export function minimumRequests(tags: readonly ResolvedTag[]): RequestBounds {
  let floor = 0;
  let wholeTags = 0;
  for (const table of ['holdingRegister', 'inputRegister', 'coil', 'discreteInput'] as const) {
    const inTable = tags.filter((tag) => tag.table === table).sort((a, b) => a.offset - b.offset);
    if (inTable.length === 0) continue;
    const limit = isBitTable(table) ? LIMITS.readBits : LIMITS.readRegisters;
    const last = inTable[inTable.length - 1];
    floor += Math.ceil((last.offset + last.width - inTable[0].offset) / limit);
    let readStart = -1;
    for (const tag of inTable) {
      if (readStart < 0 || tag.offset + tag.width - readStart > limit) {
        wholeTags++;
        readStart = tag.offset;
      }
    }
  }
  return { floor, wholeTags };
}

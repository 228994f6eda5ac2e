/** A range read's chunks as one value per row: undefined where the device refused the row. */
import type { RangeChunk } from '../registers';

export function rangeValues(chunks: readonly RangeChunk[], start: number, count: number): (number | undefined)[] {
  const values: (number | undefined)[] = new Array(count).fill(undefined);
  for (const chunk of chunks) chunk.values?.forEach((value, i) => (values[chunk.start - start + i] = value));
  return values;
}

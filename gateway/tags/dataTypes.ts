/** What each data type occupies on the wire. */
import type { DataType } from '../api/config';

/** Registers a register-backed type spans; a bool is one bit (of a coil, input or register). */
export function registerCount(type: DataType): number {
  switch (type) {
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    default:
      return 1;
  }
}

export const TYPE_RANGES: Record<Exclude<DataType, 'bool' | 'float32'>, { min: number; max: number }> = {
  int16: { min: -0x8000, max: 0x7fff },
  uint16: { min: 0, max: 0xffff },
  int32: { min: -0x80000000, max: 0x7fffffff },
  uint32: { min: 0, max: 0xffffffff },
};

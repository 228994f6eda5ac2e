/** Decode one resolved tag from the registers or bits of the block that covered it. */
import type { ResolvedTag } from './resolve';
import { decodeRaw, decodeRegisterBit, scaleRaw } from './decode';

export interface DecodedTag {
  value: number | boolean | null;
  /** The exact decimal of a 64-bit integer, or the characters of a string tag. */
  text?: string;
  /** The registers, or bits as 0/1, the value came from (for hex and binary views). */
  raw: number[];
}

/**
 * `data` is the block's registers or bits; `blockStart` its first offset. Throws
 * TagDecodeError when the registers are not a value of the type (bad BCD).
 */
export function decodeTagFromBlock(
  tag: ResolvedTag,
  blockStart: number,
  data: readonly number[] | readonly boolean[],
): DecodedTag {
  const start = tag.offset - blockStart;
  const slice = data.slice(start, start + tag.width);
  if (start < 0 || slice.length < tag.width) throw new RangeError(`tag ${tag.name} lies outside the block it was planned in`);
  if (typeof slice[0] === 'boolean') {
    const bit = slice[0];
    return { value: bit, raw: [bit ? 1 : 0] };
  }
  const registers = slice as number[];
  if (tag.bit !== undefined) return { value: decodeRegisterBit(registers[0], tag.bit), raw: registers };
  if (tag.type === 'bool') throw new RangeError(`bool tag ${tag.name} on a register needs a bit index`);
  const scaled = scaleRaw(decodeRaw(tag.type, tag.order, registers, tag.length), tag.scale, tag.valueOffset);
  return { ...scaled, raw: registers };
}

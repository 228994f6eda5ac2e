/** Coils and discrete inputs travel packed eight to a byte, least significant bit first. */

export function packBits(bits: readonly boolean[]): Buffer {
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((bit, index) => {
    if (bit) bytes[index >> 3] |= 1 << (index & 7);
  });
  return bytes;
}

export function unpackBits(bytes: Buffer, count: number): boolean[] {
  const bits: boolean[] = new Array(count);
  for (let index = 0; index < count; index++) bits[index] = ((bytes[index >> 3] >> (index & 7)) & 1) === 1;
  return bits;
}

export function byteCountForBits(count: number): number {
  return Math.ceil(count / 8);
}

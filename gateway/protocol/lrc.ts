/**
 * The longitudinal redundancy check Modbus ASCII frames carry: the two's
 * complement of the 8-bit sum of the binary bytes (address, PDU), sent as two hex
 * characters before CR LF.
 */

export function lrc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + bytes[i]) & 0xff;
  return (-sum) & 0xff;
}

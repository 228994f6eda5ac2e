/**
 * Per-request limits from the Modbus specs. They follow from the 253-byte PDU:
 * a read reply of 125 registers is 1 + 1 + 250 bytes, a write of 123 registers
 * is 1 + 2 + 2 + 1 + 246 bytes, and so on.
 */

export const LIMITS = {
  /** FC 3, 4 and the read half of FC 23: registers in one read. */
  readRegisters: 125,
  /** FC 16: registers in one write. */
  writeRegisters: 123,
  /** FC 23's write half: its request carries four more header bytes than FC 16's. */
  readWriteRegisters: 121,
  /** FC 1 and 2: coils or inputs in one read. */
  readBits: 2000,
  /** FC 15: coils in one write. */
  writeBits: 1968,
  /** MBAP length field: unit id plus PDU. */
  mbapLength: 254,
  /** Function code plus data. */
  pduLength: 253,
} as const;
export type LimitName = keyof typeof LIMITS;

/** Protocol addresses are 16 bits: a request may touch 0..65535 and no further. */
export const ADDRESS_SPACE = 0x10000;

/**
 * The spec's arithmetic for one N-register RTU read (Modbus over Serial Line
 * V1.02 §2.5.1), written out independently of the gateway's serialTiming.ts:
 * request 8 bytes + reply 5 + 2N bytes, 11 bits a character (8E1), plus the
 * 3.5-character silence after the request and after the reply (fixed 1.75 ms
 * above 19200 baud).
 */
const BITS_PER_CHARACTER = 11;

export function silenceMs(baud: number): number {
  return baud > 19_200 ? 1.75 : (3.5 * BITS_PER_CHARACTER * 1000) / baud;
}

export function registerReadBusTimeMs(registers: number, baud: number): number {
  return ((13 + 2 * registers) * BITS_PER_CHARACTER * 1000) / baud + 2 * silenceMs(baud);
}

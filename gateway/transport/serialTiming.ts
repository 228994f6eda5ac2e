/**
 * Serial line timing from Modbus over Serial Line V1.02 §2.5.1: a character is
 * start bit + data bits + parity bit (if any) + stop bits (11 for the standard
 * 8E1 or 8N2); frames are separated by 3.5 characters of silence, fixed at
 * 1.75 ms above 19200 baud where the character time would be too short to time.
 */
import type { Parity } from '../api/config';

export interface LineSettings {
  baudRate: number;
  parity: Parity;
  stopBits: 1 | 2;
  dataBits: 7 | 8;
}

/** Above this baud rate the spec fixes t3.5 instead of counting characters. */
export const FIXED_TIMING_ABOVE_BAUD = 19_200;
export const FIXED_SILENCE_MS = 1.75;

export function bitsPerCharacter(line: LineSettings): number {
  return 1 + line.dataBits + (line.parity === 'none' ? 0 : 1) + line.stopBits;
}

export function characterTimeMs(line: LineSettings): number {
  return (bitsPerCharacter(line) * 1000) / line.baudRate;
}

/** t3.5: the silence that ends a frame and must pass before the next one. */
export function interFrameSilenceMs(line: LineSettings): number {
  return line.baudRate > FIXED_TIMING_ABOVE_BAUD ? FIXED_SILENCE_MS : 3.5 * characterTimeMs(line);
}

/** How long `bytes` characters take on the wire. */
export function wireTimeMs(bytes: number, line: LineSettings): number {
  return bytes * characterTimeMs(line);
}

/** "9600 8E1", as users write line settings. */
export function describeLine(line: LineSettings): string {
  const parity = line.parity === 'none' ? 'N' : line.parity === 'even' ? 'E' : 'O';
  return `${line.baudRate} ${line.dataBits}${parity}${line.stopBits}`;
}

/**
 * The built-in demo device: what its simulator serves and the config that reads it.
 *
 * Shared by the simulator (which lays out its registers from these constants), the
 * gateway (which runs this config when there is no `bifrost.json`) and the
 * extension (which writes it out when the user asks to create `bifrost.json`).
 */
import type { BifrostConfigInput, DeviceInput } from './config';

export const DEMO_DEVICE_NAME = 'Demo';

/** Zero-based addresses of the demo simulator's registers and bits. */
export const DEMO_LAYOUT = {
  holding: {
    /** uint16, +1 every 100 ms, wraps at 65535. */
    counter: 0,
    /** float32 ABCD at 1–2: 50 × sin(2π t / 10 s), a smooth wave. */
    sine: 1,
    /** int16: a fixed negative value, to show sign handling. */
    negative: 3,
    /** float32 π in each word order: ABCD at 10, CDAB at 12, BADC at 14, DCBA at 16. */
    piAbcd: 10,
    piCdab: 12,
    piBadc: 14,
    piDcba: 16,
    /** uint32 123456789 ABCD at 20–21. */
    bigNumber: 20,
    /** A bit field: bits cycle through a walking one every second. */
    bitField: 30,
    /** A setpoint a user may write (writes arrive with the engine's write support). */
    setpoint: 40,
  },
  input: {
    /** Temperature in tenths of a degree, drifting around 21.5 °C. */
    temperature: 0,
    /** Uptime in seconds as uint32 ABCD at 1–2. */
    uptime: 1,
  },
  coils: { running: 0, alarmReset: 1 },
  discreteInputs: { blink: 0, doorOpen: 1 },
  /** Registers 0..DEMO_REGISTER_COUNT-1 exist in each register table. */
  registerCount: 1000,
  bitCount: 1000,
} as const;

export const DEMO_NEGATIVE_VALUE = -1234;
export const DEMO_BIG_NUMBER = 123456789;
export const DEMO_SETPOINT_DEFAULT = 250;

export function demoDevice(): DeviceInput {
  const h = DEMO_LAYOUT.holding;
  const i = DEMO_LAYOUT.input;
  return {
    name: DEMO_DEVICE_NAME,
    transport: { kind: 'demo' },
    unitId: 1,
    pollMs: 500,
    tags: [
      { name: 'counter', address: `HR:${h.counter}`, type: 'uint16', description: 'Counts up ten times a second' },
      { name: 'sine', address: `HR:${h.sine}`, type: 'float32', order: 'ABCD', unit: 'A', description: 'A sine wave' },
      { name: 'negative', address: `HR:${h.negative}`, type: 'int16' },
      { name: 'pi ABCD', address: `HR:${h.piAbcd}`, type: 'float32', order: 'ABCD' },
      { name: 'pi CDAB', address: `HR:${h.piCdab}`, type: 'float32', order: 'CDAB' },
      { name: 'pi BADC', address: `HR:${h.piBadc}`, type: 'float32', order: 'BADC' },
      { name: 'pi DCBA', address: `HR:${h.piDcba}`, type: 'float32', order: 'DCBA' },
      { name: 'big number', address: `HR:${h.bigNumber}`, type: 'uint32' },
      { name: 'bit 0', address: `HR:${h.bitField}.0`, type: 'bool' },
      { name: 'setpoint', address: `HR:${h.setpoint}`, type: 'uint16', scale: 0.1, unit: '°C' },
      { name: 'temperature', address: `IR:${i.temperature}`, type: 'int16', scale: 0.1, unit: '°C' },
      { name: 'uptime', address: `IR:${i.uptime}`, type: 'uint32', unit: 's' },
      { name: 'running', address: `CO:${DEMO_LAYOUT.coils.running}`, type: 'bool' },
      { name: 'blink', address: `DI:${DEMO_LAYOUT.discreteInputs.blink}`, type: 'bool' },
    ],
  };
}

export function demoConfig(): BifrostConfigInput {
  return { version: 1, devices: [demoDevice()] };
}

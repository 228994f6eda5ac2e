/**
 * The built-in demo device: the register layout from the contract (api/demo.ts)
 * with values that move, so a first-time user sees something live: a counter
 * (+1 every 100 ms), a sine float, a walking bit, a drifting temperature, uptime and
 * a blinking input, next to fixed values (π in four word orders, a negative int16,
 * a big uint32) that show decoding at a glance.
 */
import {
  DEMO_BIG_NUMBER,
  DEMO_LAYOUT,
  DEMO_NEGATIVE_VALUE,
  DEMO_SETPOINT_DEFAULT,
} from '../api/demo';
import { ModbusDataModel } from './dataModel';

export const DEMO_TICK_MS = 100;
const SINE_AMPLITUDE = 50;
const SINE_PERIOD_MS = 10_000;
/** Temperature in tenths of a degree: 21.5 °C, drifting ±1.5 °C over a minute. */
const TEMPERATURE_CENTER = 215;
const TEMPERATURE_SWING = 15;
const TEMPERATURE_PERIOD_MS = 60_000;

export class DemoDevice {
  readonly model = new ModbusDataModel({
    registers: DEMO_LAYOUT.registerCount,
    bits: DEMO_LAYOUT.bitCount,
  });
  private readonly startedAt: number;

  /** `now` is injectable so tests can step time instead of sleeping. */
  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
    this.writeFixedValues();
    this.update();
  }

  /**
   * Recompute every live value from the elapsed time. The server calls this before
   * each request, so values are exact when read and no timer has to run (or lag
   * behind a busy event loop) in between.
   */
  update(): void {
    const elapsed = this.now() - this.startedAt;
    const seconds = Math.floor(elapsed / 1000);
    const h = DEMO_LAYOUT.holding;
    const i = DEMO_LAYOUT.input;
    const m = this.model;
    m.holdingRegisters[h.counter] = Math.floor(elapsed / DEMO_TICK_MS) & 0xffff;
    m.setValue('holdingRegister', h.sine, 'float32', 'ABCD', SINE_AMPLITUDE * Math.sin((2 * Math.PI * elapsed) / SINE_PERIOD_MS));
    m.holdingRegisters[h.bitField] = 1 << (seconds % 16);
    const drift = TEMPERATURE_SWING * Math.sin((2 * Math.PI * elapsed) / TEMPERATURE_PERIOD_MS);
    m.setValue('inputRegister', i.temperature, 'int16', 'ABCD', Math.round(TEMPERATURE_CENTER + drift));
    m.setValue('inputRegister', i.uptime, 'uint32', 'ABCD', seconds);
    m.discreteInputs[DEMO_LAYOUT.discreteInputs.blink] = seconds % 2 === 0 ? 1 : 0;
  }

  private writeFixedValues(): void {
    const h = DEMO_LAYOUT.holding;
    const m = this.model;
    m.setValue('holdingRegister', h.negative, 'int16', 'ABCD', DEMO_NEGATIVE_VALUE);
    m.setValue('holdingRegister', h.piAbcd, 'float32', 'ABCD', Math.PI);
    m.setValue('holdingRegister', h.piCdab, 'float32', 'CDAB', Math.PI);
    m.setValue('holdingRegister', h.piBadc, 'float32', 'BADC', Math.PI);
    m.setValue('holdingRegister', h.piDcba, 'float32', 'DCBA', Math.PI);
    m.setValue('holdingRegister', h.bigNumber, 'uint32', 'ABCD', DEMO_BIG_NUMBER);
    m.holdingRegisters[h.setpoint] = DEMO_SETPOINT_DEFAULT;
    m.coils[DEMO_LAYOUT.coils.running] = 1;
  }
}

/** The four Modbus tables of one simulated device, sized up front. */
import type { RegisterTable } from '../api/address';
import type { DataType, WordOrder } from '../api/config';
import { encodeRegisters } from '../tags/encode';

export interface DataModelSize {
  /** Registers 0..registers-1 exist in the holding and input tables. */
  registers: number;
  /** Bits 0..bits-1 exist in the coil and discrete input tables. */
  bits: number;
}

export class ModbusDataModel {
  readonly coils: Uint8Array;
  readonly discreteInputs: Uint8Array;
  readonly holdingRegisters: Uint16Array;
  readonly inputRegisters: Uint16Array;

  constructor(size: DataModelSize) {
    this.coils = new Uint8Array(size.bits);
    this.discreteInputs = new Uint8Array(size.bits);
    this.holdingRegisters = new Uint16Array(size.registers);
    this.inputRegisters = new Uint16Array(size.registers);
  }

  /** True when address..address+quantity-1 all exist in the table. */
  inRange(table: RegisterTable, address: number, quantity: number): boolean {
    return address >= 0 && quantity >= 1 && address + quantity <= this.table(table).length;
  }

  readBits(table: 'coil' | 'discreteInput', address: number, quantity: number): boolean[] {
    return Array.from(this.table(table).subarray(address, address + quantity), (bit) => bit !== 0);
  }

  readRegisters(table: 'holdingRegister' | 'inputRegister', address: number, quantity: number): number[] {
    return Array.from(this.table(table).subarray(address, address + quantity));
  }

  writeBits(table: 'coil' | 'discreteInput', address: number, values: readonly boolean[]): void {
    this.table(table).set(values.map((bit) => (bit ? 1 : 0)), address);
  }

  writeRegisters(table: 'holdingRegister' | 'inputRegister', address: number, values: readonly number[]): void {
    this.table(table).set(values, address);
  }

  /** Store a typed value the way a device would lay it out, e.g. a float32 in CDAB order. */
  setValue(
    table: 'holdingRegister' | 'inputRegister',
    address: number,
    type: Exclude<DataType, 'bool'>,
    order: WordOrder,
    value: number,
  ): void {
    this.writeRegisters(table, address, encodeRegisters(type, order, value));
  }

  private table(table: RegisterTable): Uint8Array | Uint16Array {
    switch (table) {
      case 'coil':
        return this.coils;
      case 'discreteInput':
        return this.discreteInputs;
      case 'holdingRegister':
        return this.holdingRegisters;
      case 'inputRegister':
        return this.inputRegisters;
    }
  }
}

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

/** What a simulated device says about itself through FC 17 and FC 43/14. */
export interface DeviceIdentity {
  /** FC 17's one-byte server id. */
  serverId: number;
  /** FC 17's run indicator. */
  running: boolean;
  /** FC 17's device-specific data after the run indicator. */
  serverIdText: string;
  /** FC 43/14 objects by id (0x00 VendorName …); 0x00–0x02 are mandatory. */
  objects: ReadonlyMap<number, string>;
}

/** The gateway's own simulator: vendor "Bifrost", a product code, a revision, and the regular objects. */
export function defaultIdentity(): DeviceIdentity {
  return {
    serverId: 0x42,
    running: true,
    serverIdText: 'Bifrost demo',
    objects: new Map([
      [0x00, 'Bifrost'],
      [0x01, 'BFR-SIM'],
      [0x02, '1.0'],
      [0x03, 'https://github.com/bifrost-modbus/bifrost'],
      [0x04, 'Bifrost simulator'],
      [0x05, 'Demo device'],
      [0x06, 'Bifrost demo'],
    ]),
  };
}

export class ModbusDataModel {
  /** FC 7's eight status bits. */
  exceptionStatus = 0;
  /** FC 11's counter: requests completed without an exception (FC 11 itself excluded). */
  commEventCount = 0;
  identity: DeviceIdentity = defaultIdentity();
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

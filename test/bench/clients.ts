/**
 * The two Modbus TCP clients under test, behind one small interface so every
 * measurement issues exactly the same requests through each.
 * - Bifrost: the engine's DeviceSession and its public request() API.
 * - modbus-serial 8.0.25: ModbusRTU with connectTCP, as its README shows.
 */
import ModbusRTU from 'modbus-serial';
import type { RegisterTable } from '../../gateway/api/address';
import { silentLogger } from '../../gateway/engine/logger';
import { DeviceSession } from '../../gateway/engine/session';
import { FunctionCode } from '../../gateway/protocol/functionCodes';

export type TableData = readonly number[] | readonly boolean[];

export interface BenchClient {
  readonly name: string;
  read(table: RegisterTable, address: number, quantity: number): Promise<TableData>;
  close(): Promise<void>;
}

/** How the sections open clients (passed in, so a section never picks its own). */
export interface Connectors {
  connectBifrost(port: number, maxInFlight?: number): Promise<BenchClient>;
  connectModbusSerial(port: number): Promise<BenchClient>;
}

const UNIT_ID = 1;
const TIMEOUT_MS = 2000;
const CONNECT_DEADLINE_MS = 5000;

const READ_FUNCTION = {
  coil: FunctionCode.ReadCoils,
  discreteInput: FunctionCode.ReadDiscreteInputs,
  holdingRegister: FunctionCode.ReadHoldingRegisters,
  inputRegister: FunctionCode.ReadInputRegisters,
} as const;

/** `maxInFlight` above 1 lets the session pipeline (a device option; the default is 1). */
export async function connectBifrost(port: number, maxInFlight = 1): Promise<BenchClient> {
  const session = new DeviceSession({
    device: 'bench',
    unitId: UNIT_ID,
    timeoutMs: TIMEOUT_MS,
    endpoint: async () => ({ host: '127.0.0.1', port }),
    logger: silentLogger,
    maxInFlight,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      session.stop();
      reject(new Error(`Bifrost session did not connect to 127.0.0.1:${port} within ${CONNECT_DEADLINE_MS} ms: ${session.status.lastError ?? ''}`));
    }, CONNECT_DEADLINE_MS);
    session.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    session.start();
  });
  return sessionClient(maxInFlight === 1 ? 'Bifrost' : `Bifrost (maxInFlight ${maxInFlight})`, session);
}

/** A connected session (TCP or serial) as a bench client. */
export function sessionClient(name: string, session: DeviceSession): BenchClient {
  return {
    name,
    async read(table, address, quantity) {
      const response = await session.request({ functionCode: READ_FUNCTION[table], address, quantity });
      return 'registers' in response ? response.registers : response.bits;
    },
    async close() {
      session.stop();
    },
  };
}

export async function connectModbusSerial(port: number): Promise<BenchClient> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(UNIT_ID);
  client.setTimeout(TIMEOUT_MS);
  return {
    name: 'modbus-serial',
    async read(table, address, quantity) {
      switch (table) {
        case 'holdingRegister':
          return (await client.readHoldingRegisters(address, quantity)).data;
        case 'inputRegister':
          return (await client.readInputRegisters(address, quantity)).data;
        case 'coil':
          return (await client.readCoils(address, quantity)).data;
        case 'discreteInput':
          return (await client.readDiscreteInputs(address, quantity)).data;
      }
    },
    close: () => new Promise<void>((resolve) => client.close(() => resolve())),
  };
}

/**
 * fast-check generators for Modbus messages: every function code's request with a
 * reply that answers it, within the spec's limits, and the frames around them.
 * Shared by the property tests (test/unit/protocol/properties.test.ts) and the
 * million-frame fuzz run (test/fuzz/run.ts).
 */
import fc from 'fast-check';
import { DeviceIdCode } from '../../gateway/protocol/deviceIdentification';
import { FunctionCode } from '../../gateway/protocol/functionCodes';
import { LIMITS } from '../../gateway/protocol/limits';
import type { ModbusRequest } from '../../gateway/protocol/requests';
import type { ModbusResponse } from '../../gateway/protocol/responses';

const word = fc.integer({ min: 0, max: 0xffff });
const byte = fc.integer({ min: 0, max: 0xff });

/** An address and quantity that stay inside the 16-bit address space. */
function span(maxQuantity: number) {
  return fc.integer({ min: 1, max: maxQuantity }).chain((quantity) =>
    fc.record({ quantity: fc.constant(quantity), address: fc.integer({ min: 0, max: 0x10000 - quantity }) }),
  );
}

export interface Exchange {
  request: ModbusRequest;
  response: ModbusResponse;
}

const readBits = fc
  .tuple(fc.constantFrom(FunctionCode.ReadCoils, FunctionCode.ReadDiscreteInputs), span(LIMITS.readBits))
  .chain(([functionCode, { address, quantity }]) =>
    fc.array(fc.boolean(), { minLength: quantity, maxLength: quantity }).map(
      (bits): Exchange => ({ request: { functionCode, address, quantity }, response: { functionCode, bits } }),
    ),
  );

const readRegisters = fc
  .tuple(fc.constantFrom(FunctionCode.ReadHoldingRegisters, FunctionCode.ReadInputRegisters), span(LIMITS.readRegisters))
  .chain(([functionCode, { address, quantity }]) =>
    fc.array(word, { minLength: quantity, maxLength: quantity }).map(
      (registers): Exchange => ({ request: { functionCode, address, quantity }, response: { functionCode, registers } }),
    ),
  );

const writeSingleCoil = fc.record({ address: word, value: fc.boolean() }).map(
  ({ address, value }): Exchange => ({
    request: { functionCode: FunctionCode.WriteSingleCoil, address, value },
    response: { functionCode: FunctionCode.WriteSingleCoil, address, value },
  }),
);

const writeSingleRegister = fc.record({ address: word, value: word }).map(
  ({ address, value }): Exchange => ({
    request: { functionCode: FunctionCode.WriteSingleRegister, address, value },
    response: { functionCode: FunctionCode.WriteSingleRegister, address, value },
  }),
);

const writeMultipleCoils = span(LIMITS.writeBits).chain(({ address, quantity }) =>
  fc.array(fc.boolean(), { minLength: quantity, maxLength: quantity }).map(
    (values): Exchange => ({
      request: { functionCode: FunctionCode.WriteMultipleCoils, address, values },
      response: { functionCode: FunctionCode.WriteMultipleCoils, address, quantity },
    }),
  ),
);

const writeMultipleRegisters = span(LIMITS.writeRegisters).chain(({ address, quantity }) =>
  fc.array(word, { minLength: quantity, maxLength: quantity }).map(
    (values): Exchange => ({
      request: { functionCode: FunctionCode.WriteMultipleRegisters, address, values },
      response: { functionCode: FunctionCode.WriteMultipleRegisters, address, quantity },
    }),
  ),
);

const readExceptionStatus = byte.map(
  (status): Exchange => ({
    request: { functionCode: FunctionCode.ReadExceptionStatus },
    response: { functionCode: FunctionCode.ReadExceptionStatus, status },
  }),
);

/** FC 8 sub-function 0, return query data: the reply echoes the data. */
const diagnostics = fc.array(word, { minLength: 0, maxLength: 120 }).map(
  (data): Exchange => ({
    request: { functionCode: FunctionCode.Diagnostics, subFunction: 0, data },
    response: { functionCode: FunctionCode.Diagnostics, subFunction: 0, data },
  }),
);

const commEventCounter = fc.record({ status: fc.constantFrom(0, 0xffff), eventCount: word }).map(
  ({ status, eventCount }): Exchange => ({
    request: { functionCode: FunctionCode.GetCommEventCounter },
    response: { functionCode: FunctionCode.GetCommEventCounter, status, eventCount },
  }),
);

const reportServerId = fc
  .record({ serverId: byte, running: fc.boolean(), data: fc.uint8Array({ maxLength: 200 }) })
  .map(
    ({ serverId, running, data }): Exchange => ({
      request: { functionCode: FunctionCode.ReportServerId },
      response: { functionCode: FunctionCode.ReportServerId, serverId, running, additionalData: Buffer.from(data) },
    }),
  );

const maskWrite = fc.record({ address: word, andMask: word, orMask: word }).map(
  (fields): Exchange => ({
    request: { functionCode: FunctionCode.MaskWriteRegister, ...fields },
    response: { functionCode: FunctionCode.MaskWriteRegister, ...fields },
  }),
);

const readWrite = fc
  .tuple(span(LIMITS.readRegisters), span(LIMITS.readWriteRegisters))
  .chain(([read, write]) =>
    fc
      .tuple(fc.array(word, { minLength: write.quantity, maxLength: write.quantity }), fc.array(word, { minLength: read.quantity, maxLength: read.quantity }))
      .map(
        ([values, registers]): Exchange => ({
          request: { functionCode: FunctionCode.ReadWriteMultipleRegisters, address: read.address, quantity: read.quantity, writeAddress: write.address, values },
          response: { functionCode: FunctionCode.ReadWriteMultipleRegisters, registers },
        }),
      ),
  );

/** Objects whose encoded size fits one PDU (7 header bytes, 2 per object plus its value). */
const deviceObjects = fc
  .array(
    fc.tuple(byte, fc.string({ maxLength: 40 })).map(([id, text]) => ({ id, value: Buffer.from(text, 'utf8').toString('latin1') })),
    { maxLength: 5 },
  )
  .filter((objects) => objects.reduce((size, object) => size + 2 + Buffer.byteLength(object.value, 'latin1'), 7) <= LIMITS.pduLength);

const deviceIdentification = fc
  .record({
    deviceIdCode: fc.constantFrom(DeviceIdCode.Basic, DeviceIdCode.Regular, DeviceIdCode.Extended, DeviceIdCode.Individual),
    objectId: byte,
    conformityLevel: byte,
    moreFollows: fc.boolean(),
    nextObjectId: byte,
    objects: deviceObjects,
  })
  .map(
    ({ deviceIdCode, objectId, conformityLevel, moreFollows, nextObjectId, objects }): Exchange => ({
      request: { functionCode: FunctionCode.EncapsulatedInterface, deviceIdCode, objectId },
      response: {
        functionCode: FunctionCode.EncapsulatedInterface,
        deviceIdCode,
        conformityLevel,
        moreFollows,
        nextObjectId: moreFollows ? nextObjectId : 0,
        objects,
      },
    }),
  );

/** One request of every function code the codec speaks, with a reply that answers it. */
export const exchange: fc.Arbitrary<Exchange> = fc.oneof(
  readBits,
  readRegisters,
  writeSingleCoil,
  writeSingleRegister,
  writeMultipleCoils,
  writeMultipleRegisters,
  readExceptionStatus,
  diagnostics,
  commEventCounter,
  reportServerId,
  maskWrite,
  readWrite,
  deviceIdentification,
);

export const unitId = fc.integer({ min: 0, max: 255 });
export const transactionId = word;

/** Cut `bytes` into chunks at the given points, as TCP or a UART hands them over. */
export function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  if (from < bytes.length) chunks.push(bytes.subarray(from));
  return chunks;
}

/** A frame changed the ways a line or a buggy device changes them: bits flipped, bytes cut, inserted or repeated. */
export function mutate(frame: Buffer, random: () => number): Buffer {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = Buffer.from(frame);
  switch (pick(6)) {
    case 0: {
      if (bytes.length > 0) bytes[pick(bytes.length)] ^= 1 << pick(8);
      return bytes;
    }
    case 1:
      return bytes.subarray(0, pick(bytes.length + 1));
    case 2: {
      const at = pick(bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.of(pick(256)), bytes.subarray(at)]);
    }
    case 3: {
      if (bytes.length > 0) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    }
    case 4:
      return Buffer.concat([bytes, bytes.subarray(0, pick(bytes.length + 1))]);
    default: {
      const at = pick(bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + pick(4))]);
    }
  }
}

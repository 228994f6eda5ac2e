import assert from 'node:assert/strict';
import { decodeReply } from '../../../gateway/engine/connection';
import { FrameError, ModbusExceptionError } from '../../../gateway/protocol/errors';
import { decodeOpaqueReply, opaqueRequest } from '../../../gateway/protocol/opaque';
import { decodeRequest } from '../../../gateway/protocol/requests';

const context = { device: 'Meter', unitId: 7, functionCode: 100 };

function rejection(pdu: number[]) {
  const result = decodeRequest(Buffer.from(pdu));
  assert.equal(result.ok, false, `${Buffer.from(pdu).toString('hex')} is refused by the codec`);
  return result.ok ? undefined : result.rejection;
}

describe('opaque requests (functions the codec does not parse)', () => {
  it('marks unknown functions, sub-functions and MEI types as unsupported, and nothing malformed', () => {
    assert.equal(rejection([0x41, 1, 2])?.unsupported, true, 'user-defined 65');
    assert.equal(rejection([0x5a, 0, 1])?.unsupported, true, 'a vendor code (90)');
    assert.equal(rejection([0x18, 0, 1])?.unsupported, true, 'read FIFO queue (24)');
    assert.equal(rejection([8, 0, 0x0b, 0, 0])?.unsupported, true, 'diagnostics: return bus message count');
    assert.equal(rejection([0x2b, 0x0d, 0, 0])?.unsupported, true, 'MEI 13 (CANopen)');
    assert.equal(rejection([0])?.unsupported, undefined, 'function 0 is no function');
    assert.equal(rejection([0x90, 1])?.unsupported, undefined, '128+ is the exception flag, not a function');
    assert.equal(rejection([3, 0, 0, 0, 0])?.unsupported, undefined, 'a read of 0 registers is malformed (03), not unknown');
    assert.equal(rejection([3, 0, 0, 0, 0])?.exceptionCode, 3);
  });

  it("takes the device's reply with the same function code as bytes, and its exception as an exception", () => {
    const request = opaqueRequest(Buffer.of(100, 1, 2));
    const reply = decodeOpaqueReply(Buffer.of(100, 4, 1, 2, 1, 2), request, context);
    assert.deepEqual(reply, { functionCode: 100, opaque: Buffer.of(100, 4, 1, 2, 1, 2) });
    assert.deepEqual(decodeOpaqueReply(Buffer.of(0xe4, 0x02), request, context), { functionCode: 100, exceptionCode: 2 });
    assert.throws(() => decodeReply(Buffer.of(0xe4, 0x02), request, context), (error: unknown) => error instanceof ModbusExceptionError && error.exceptionCode === 2);
  });

  it('refuses a reply that answers something else, naming device, unit and what was expected', () => {
    const request = opaqueRequest(Buffer.of(100, 1));
    assert.throws(() => decodeOpaqueReply(Buffer.of(3, 2, 0, 1), request, context), (error: unknown) => {
      assert.ok(error instanceof FrameError);
      assert.match(error.message, /Meter/);
      assert.match(error.message, /unit 7/);
      assert.match(error.message, /function code 100/);
      return true;
    });
    assert.throws(() => decodeOpaqueReply(Buffer.alloc(0), request, context), FrameError);
    assert.throws(() => decodeOpaqueReply(Buffer.of(0xe4, 1, 2), request, context), /2-byte exception/);
  });
});

import assert from 'node:assert/strict';
import {
  ConnectionClosedError,
  describeRequest,
  FrameError,
  ModbusExceptionError,
  ProtocolLimitError,
  TimeoutError,
} from '../../../gateway/protocol/errors';

const context = { device: 'Demo', unitId: 1, functionCode: 3, address: 0, quantity: 10 };

describe('Modbus errors', () => {
  it('word a timeout the way a user reads it', () => {
    const error = new TimeoutError(context, 1000);
    assert.equal(error.message, 'Demo: no reply from unit 1 to read holding registers 0–9 within 1000 ms');
    assert.equal(error.name, 'TimeoutError');
    assert.equal(error.device, 'Demo');
    assert.equal(error.unitId, 1);
    assert.equal(error.functionCode, 3);
    assert.equal(error.address, 0);
    assert.equal(error.expected, 'a reply within 1000 ms');
  });

  it('name the exception code', () => {
    const error = new ModbusExceptionError(context, 2);
    assert.equal(error.message, 'Demo: unit 1 refused read holding registers 0–9: exception 02 (illegal data address)');
    assert.equal(error.exceptionName, 'illegal data address');
  });

  it('tell a closed connection from one that never was', () => {
    assert.equal(
      new ConnectionClosedError(context, { wasSent: true, reason: 'connection reset by the device' }).message,
      'Demo: connection closed before unit 1 answered read holding registers 0–9 (connection reset by the device)',
    );
    assert.equal(
      new ConnectionClosedError({ ...context, functionCode: 6, address: 40 }, { wasSent: false }).message,
      'Demo: cannot send write single register 40 to unit 1: not connected',
    );
  });

  it('say what a frame should have been', () => {
    const error = new FrameError(context, 'a reply from unit 1', 'unit 7');
    assert.equal(error.message, 'Demo: bad reply from unit 1 to read holding registers 0–9: expected a reply from unit 1, got unit 7');
  });

  it('name the spec limit', () => {
    const error = new ProtocolLimitError({ ...context, quantity: 200 }, 'readRegisters', 200);
    assert.equal(
      error.message,
      'Demo: cannot read holding registers 0–199: Modbus allows at most 125 registers per read (limit readRegisters), this needs 200',
    );
  });

  it('describe requests of one item and unknown functions', () => {
    assert.equal(describeRequest({ functionCode: 5, address: 12, quantity: 1 }), 'write single coil 12');
    assert.equal(describeRequest({ functionCode: 0x2b }), 'read device identification');
    assert.equal(describeRequest({ functionCode: 0x2c }), 'function 0x2C');
    assert.equal(describeRequest({}), 'a request');
  });
});

import assert from 'node:assert/strict';
import { DEMO_LAYOUT } from '../../../gateway/api/demo';
import { encodeRequest } from '../../../gateway/protocol/requests';
import { ModbusDataModel } from '../../../gateway/simulator/dataModel';
import { DemoDevice } from '../../../gateway/simulator/demoDevice';
import { handleRequestPdu } from '../../../gateway/simulator/requestHandler';
import { decodeRegisters } from '../../../gateway/tags/decode';

const hex = (text: string) => Buffer.from(text.replace(/ /g, ''), 'hex');

describe('simulator request handler', () => {
  const model = () => new ModbusDataModel({ registers: 10, bits: 16 });

  it('answers exception 01 for a function it does not know', () => {
    assert.equal(handleRequestPdu(model(), hex('07')).toString('hex'), '8701');
  });

  it('answers exception 02 for an address the device lacks', () => {
    assert.equal(handleRequestPdu(model(), hex('03 0009 0002')).toString('hex'), '8302');
    assert.equal(handleRequestPdu(model(), hex('01 0010 0001')).toString('hex'), '8102');
    assert.equal(handleRequestPdu(model(), hex('06 000a 0001')).toString('hex'), '8602');
  });

  it('answers exception 03 for a bad quantity, before checking the address', () => {
    assert.equal(handleRequestPdu(model(), hex('03 0000 0000')).toString('hex'), '8303');
    assert.equal(handleRequestPdu(model(), hex('04 ffff 007e')).toString('hex'), '8403');
  });

  it('writes and reads back registers and coils', () => {
    const m = model();
    handleRequestPdu(m, encodeRequest({ functionCode: 16, address: 2, values: [0x1234, 0x5678] }));
    handleRequestPdu(m, encodeRequest({ functionCode: 6, address: 9, value: 7 }));
    handleRequestPdu(m, encodeRequest({ functionCode: 15, address: 3, values: [true, false, true] }));
    handleRequestPdu(m, encodeRequest({ functionCode: 5, address: 15, value: true }));
    assert.equal(handleRequestPdu(m, hex('03 0002 0002')).toString('hex'), '030412345678');
    assert.equal(handleRequestPdu(m, hex('03 0009 0001')).toString('hex'), '03020007');
    assert.equal(handleRequestPdu(m, hex('01 0000 0010')).toString('hex'), '01022880');
    assert.equal(handleRequestPdu(m, hex('02 0000 0010')).toString('hex'), '02020000');
  });
});

describe('demo device', () => {
  const h = DEMO_LAYOUT.holding;

  it('lays out the fixed values of the contract', () => {
    const registers = new DemoDevice().model.holdingRegisters;
    assert.equal(decodeRegisters('int16', 'ABCD', [registers[h.negative]]), -1234);
    assert.deepEqual([registers[h.piAbcd], registers[h.piAbcd + 1]], [16457, 4059]);
    for (const [address, order] of [[h.piAbcd, 'ABCD'], [h.piCdab, 'CDAB'], [h.piBadc, 'BADC'], [h.piDcba, 'DCBA']] as const) {
      assert.equal(decodeRegisters('float32', order, [registers[address], registers[address + 1]]), 3.1415927, order);
    }
    assert.equal(decodeRegisters('uint32', 'ABCD', [registers[h.bigNumber], registers[h.bigNumber + 1]]), 123456789);
    assert.equal(registers[h.setpoint], 250);
  });

  it('moves its live values with time', () => {
    let now = 0;
    const device = new DemoDevice(() => now);
    const m = device.model;
    assert.equal(m.holdingRegisters[h.counter], 0);
    now = 2_550;
    device.update();
    assert.equal(m.holdingRegisters[h.counter], 25, 'counter +1 every 100 ms');
    assert.equal(m.holdingRegisters[h.bitField], 1 << 2, 'walking one, a bit per second');
    assert.equal(decodeRegisters('uint32', 'ABCD', [m.inputRegisters[1], m.inputRegisters[2]]), 2, 'uptime in seconds');
    const sine = decodeRegisters('float32', 'ABCD', [m.holdingRegisters[h.sine], m.holdingRegisters[h.sine + 1]]);
    assert.ok(Math.abs(sine - 50 * Math.sin((2 * Math.PI * 2550) / 10_000)) < 1e-4);
    const temperature = decodeRegisters('int16', 'ABCD', [m.inputRegisters[0]]);
    assert.ok(temperature >= 200 && temperature <= 230, `temperature ${temperature} near 215`);
    const blinkBefore = m.discreteInputs[0];
    now += 1000;
    device.update();
    assert.notEqual(m.discreteInputs[0], blinkBefore, 'the input blinks every second');
  });
});

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
    assert.equal(handleRequestPdu(model(), hex('0c')).toString('hex'), '8c01');
    assert.equal(handleRequestPdu(model(), hex('08 0001 0000')).toString('hex'), '8801', 'diagnostic sub-function 1');
    assert.equal(handleRequestPdu(model(), hex('2b 0d 01 00')).toString('hex'), 'ab01', 'MEI type 13 (CANopen)');
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

describe('simulator request handler: FC 7, 8, 11, 17, 22, 23, 43/14', () => {
  const model = () => new ModbusDataModel({ registers: 10, bits: 16 });

  it('reads the exception status byte (FC 7)', () => {
    const m = model();
    m.exceptionStatus = 0x6d;
    assert.equal(handleRequestPdu(m, hex('07')).toString('hex'), '076d');
  });

  it('echoes return query data (FC 8/0)', () => {
    assert.equal(handleRequestPdu(model(), hex('08 0000 a537 1234')).toString('hex'), '0800' + '00a5371234');
  });

  it('counts completed requests, not exceptions or FC 11 itself (FC 11)', () => {
    const m = model();
    handleRequestPdu(m, hex('03 0000 0001'));
    handleRequestPdu(m, hex('03 0000 0001'));
    handleRequestPdu(m, hex('03 0100 0001')); // exception 02: not counted
    assert.equal(handleRequestPdu(m, hex('0b')).toString('hex'), '0b00000002');
    assert.equal(handleRequestPdu(m, hex('0b')).toString('hex'), '0b00000002');
  });

  it('reports server id 0x42, run ON and "Bifrost demo" (FC 17)', () => {
    const reply = handleRequestPdu(model(), hex('11'));
    assert.equal(reply.subarray(0, 4).toString('hex'), '110e42ff');
    assert.equal(reply.subarray(4).toString(), 'Bifrost demo');
  });

  it('mask-writes a register as the spec example does (FC 22)', () => {
    const m = model();
    m.holdingRegisters[4] = 0x12;
    assert.equal(handleRequestPdu(m, hex('16 0004 00f2 0025')).toString('hex'), '16000400f20025');
    assert.equal(m.holdingRegisters[4], 0x17);
    assert.equal(handleRequestPdu(m, hex('16 000a 00f2 0025')).toString('hex'), '9602');
  });

  it('writes before it reads (FC 23), and checks both ranges', () => {
    const m = model();
    m.holdingRegisters.set([1, 2, 3, 4]);
    assert.equal(handleRequestPdu(m, hex('17 0000 0004 0001 0002 04 aaaa bbbb')).toString('hex'), '17080001aaaabbbb0004');
    assert.equal(handleRequestPdu(m, hex('17 0000 0001 0009 0002 04 0000 0000')).toString('hex'), '9702');
    assert.equal(handleRequestPdu(m, hex('17 0009 0002 0000 0001 02 0000')).toString('hex'), '9702');
  });

  it('identifies itself: basic stream, regular stream, individual access, unknown object (FC 43/14)', () => {
    const objects = (pdu: Buffer) => {
      const list: [number, string][] = [];
      for (let at = 7, index = 0; index < pdu[6]; index++) {
        list.push([pdu[at], pdu.toString('latin1', at + 2, at + 2 + pdu[at + 1])]);
        at += 2 + pdu[at + 1];
      }
      return list;
    };
    const basic = handleRequestPdu(model(), hex('2b 0e 01 00'));
    assert.equal(basic.subarray(0, 6).toString('hex'), '2b0e01820000');
    assert.deepEqual(objects(basic), [[0, 'Bifrost'], [1, 'BFR-SIM'], [2, '1.0']]);
    const regular = handleRequestPdu(model(), hex('2b 0e 02 00'));
    assert.deepEqual(objects(regular).map(([id]) => id), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(objects(handleRequestPdu(model(), hex('2b 0e 04 04'))), [[4, 'Bifrost simulator']]);
    assert.equal(handleRequestPdu(model(), hex('2b 0e 04 50')).toString('hex'), 'ab02');
    // A stream from an id the device lacks restarts at object 0.
    assert.deepEqual(objects(handleRequestPdu(model(), hex('2b 0e 01 50'))).map(([id]) => id), [0, 1, 2]);
  });

  it('splits objects that do not fit one reply with more-follows and the next object id', () => {
    const m = model();
    const long = 'x'.repeat(100);
    m.identity = { ...m.identity, objects: new Map([[0, long], [1, long], [2, long], [3, long]]) };
    const first = handleRequestPdu(m, hex('2b 0e 02 00'));
    assert.equal(first[4], 0xff, 'more follows');
    assert.equal(first[5], 2, 'next object id');
    assert.equal(first[6], 2, 'objects in this reply');
    assert.ok(first.length <= 253);
    const second = handleRequestPdu(m, hex('2b 0e 02 02'));
    assert.deepEqual([second[4], second[6]], [0, 2]);
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

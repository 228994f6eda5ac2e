/**
 * Bit writes on a device that refuses FC 22 (mask write register), as many PLCs
 * do: a Modbus TCP responder that answers FC 22 with exception 01 and everything
 * else like a device. Under `bitWrite: "auto"` the gateway falls back to read
 * (FC 3) – modify – write (FC 6), keeps the other 15 bits, says so in the next
 * write preview, and never tries FC 22 on that device again.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { encodeExceptionResponse } from '../../gateway/protocol/responses';
import { FunctionCode } from '../../gateway/protocol/functionCodes';
import { ModbusDataModel } from '../../gateway/simulator/dataModel';
import { handleRequestPdu } from '../../gateway/simulator/requestHandler';
import { ModbusTcpServer } from '../../gateway/simulator/tcpServer';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, stopAll, type Gateway } from './helpers/childProcess';
import { requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

describe('bit writes on a device without FC 22', function () {
  const model = new ModbusDataModel({ bits: 100, registers: 100 });
  const functionCodes: number[] = [];
  const server = new ModbusTcpServer({
    handler: (pdu) => {
      functionCodes.push(pdu[0]);
      if (pdu[0] === FunctionCode.MaskWriteRegister) return encodeExceptionResponse(pdu[0], 0x01);
      return handleRequestPdu(model, pdu);
    },
  });
  let gateway: Gateway;
  let client: TestChannelClient;
  let dir: string;

  before(async () => {
    requireBuiltGateway();
    const { port } = await server.listen('127.0.0.1', 0);
    const transport = { kind: 'tcp' as const, host: '127.0.0.1', port };
    const config: BifrostConfigInput = {
      version: 1,
      devices: [
        { name: 'NoMask', transport, pollMs: 200, tags: [{ name: 'bit3', address: 'HR:9.3', type: 'bool' }, { name: 'word', address: 'HR:9' }] },
        { name: 'Strict', transport, pollMs: 200, bitWrite: 'fc22', tags: [{ name: 'bit5', address: 'HR:20.5', type: 'bool' }] },
        { name: 'Always', transport, pollMs: 200, bitWrite: 'readModifyWrite', tags: [{ name: 'bit0', address: 'HR:30.0', type: 'bool' }] },
      ],
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-bitwrite-'));
    fs.writeFileSync(path.join(dir, 'bifrost.json'), JSON.stringify(config));
    gateway = await startGateway(['--config', path.join(dir, 'bifrost.json')]);
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    let states: string[] = [];
    await until(() => states.length === 3 && states.every((state) => state === 'connected'), 10_000, 'every device to connect', async () => {
      states = (await client.request('devices.snapshot', {})).devices.map((d) => d.status.state);
    });
  });
  after(async () => {
    client?.close();
    await stopAll();
    await server.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('under auto: FC 22 refused with exception 01, then read-modify-write; the other bits are kept', async () => {
    model.holdingRegisters[9] = 0b1010_0000_0000_0001;
    const preview = await client.request('tag.encodeWrite', { device: 'NoMask', tag: 'bit3', value: true });
    assert.equal(preview.function, 22, 'before the device refused anything, FC 22 is the plan');
    assert.match(preview.description, /if the device refuses FC 22, Bifrost reads, modifies and writes the register instead/);

    functionCodes.length = 0;
    const result = await client.request('tag.write', { device: 'NoMask', tag: 'bit3', value: true });
    assert.equal(model.holdingRegisters[9], 0b1010_0000_0000_1001, 'bit 3 set, every other bit as it was');
    assert.equal(result.function, 6);
    assert.equal(result.frame, '060009a009', 'the word written back is the read word with bit 3 set');
    assert.equal(result.readBack.value, true);
    const writes = functionCodes.filter((fc) => fc !== 3);
    assert.deepEqual(writes, [22, 6], 'one FC 22 refused, then one FC 6');

    // Remembered: the preview says so, and the next write sends no FC 22.
    const next = await client.request('tag.encodeWrite', { device: 'NoMask', tag: 'bit3', value: false });
    assert.equal(next.function, 3);
    assert.match(next.description, /^this device refuses FC 22 \(mask write register\); Bifrost will read, modify and write holding register HR:9: bit 3 cleared/);
    functionCodes.length = 0;
    await client.request('tag.write', { device: 'NoMask', tag: 'bit3', value: false });
    assert.equal(model.holdingRegisters[9], 0b1010_0000_0000_0001);
    assert.ok(!functionCodes.includes(22), 'no FC 22 once the device refused it');
  });

  it('bitWrite "fc22" reports the refusal and changes nothing', async () => {
    model.holdingRegisters[20] = 0x00ff;
    const refused = await client.raw('tag.write', { device: 'Strict', tag: 'bit5', value: false });
    assert.ok(!refused.ok);
    assert.match(refused.error.message, /exception 01 \(illegal function\)/);
    assert.equal(model.holdingRegisters[20], 0x00ff);
  });

  it('bitWrite "readModifyWrite" never tries FC 22 and says why in the preview', async () => {
    model.holdingRegisters[30] = 0xff00;
    const preview = await client.request('tag.encodeWrite', { device: 'Always', tag: 'bit0', value: true });
    assert.match(preview.description, /^bitWrite is "readModifyWrite" for this device; Bifrost will read, modify and write/);
    functionCodes.length = 0;
    await client.request('tag.write', { device: 'Always', tag: 'bit0', value: true });
    assert.equal(model.holdingRegisters[30], 0xff01);
    assert.ok(!functionCodes.includes(22));
  });
});

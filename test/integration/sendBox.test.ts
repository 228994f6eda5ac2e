/**
 * The Frame Debugger's Send box through the gateway: the three forms people type (a
 * PDU, unit + PDU, a whole frame) are completed for the device's transport (MBAP
 * header on TCP, CRC on RTU over a socat pseudo-terminal), shown before sending, sent
 * through the device's session, and a read's reply comes back as values by address.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, startSimulator, stopAll } from './helpers/childProcess';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

const FORMS = [
  { form: 'pdu', typed: { tcp: '03 00 0A 00 02', rtu: '03 00 0A 00 02' } },
  { form: 'unit+pdu', typed: { tcp: '01 03 00 0A 00 02', rtu: '01 03 00 0A 00 02' } },
  // The whole frame: MBAP with transaction id 7; RTU with its CRC.
  { form: 'frame', typed: { tcp: '00 07 00 00 00 06 01 03 00 0A 00 02', rtu: '01 03 00 0A 00 02 E4 09' } },
] as const;

describe('Send box: typed PDU, unit + PDU or whole frame', function () {
  this.timeout(30_000);
  let client: TestChannelClient;

  before(async () => {
    requireBuiltGateway();
    requireSocat();
    const tcp = await startSimulator();
    const pty = await startPtyPair();
    const serial = start(process.execPath, [GATEWAY_JS, 'simulate', '--rtu', pty.b, '--baud', '19200', '--units', '1']);
    await serial.waitForStdout(/serving/);
    const config: BifrostConfigInput = {
      devices: [
        { name: 'tcp', unitId: 1, pollMs: 60_000, transport: { kind: 'tcp', host: '127.0.0.1', port: tcp.port } },
        { name: 'rtu', unitId: 1, pollMs: 60_000, transport: { kind: 'rtu', path: pty.a, baudRate: 19200 } },
      ],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-send-')), 'bifrost.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const gateway = await startGateway(['--config', file]);
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    let states: string[] = [];
    await until(() => states.length === 2 && states.every((state) => state === 'connected'), 10_000, 'both devices to connect', async () => {
      states = (await client.request('devices.snapshot', {})).devices.map((d) => d.status.state);
    });
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  for (const device of ['tcp', 'rtu'] as const) {
    for (const { form, typed } of FORMS) {
      it(`${device}: a ${form} is completed, shown, sent, and its reply listed by address`, async () => {
        const prepared = await client.request('capture.prepare', { device, hex: typed[device] });
        assert.equal(prepared.form, form);
        assert.deepEqual(prepared.decoded.problems, []);
        if (device === 'tcp') assert.match(prepared.hex, /^[0-9a-f]{4}000000060103000a0002$/);
        else assert.equal(prepared.hex, '0103000a0002e409');
        const sent = await client.request('capture.send', { device, hex: typed[device] });
        assert.equal(sent.error, undefined);
        assert.deepEqual(sent.read && { table: sent.read.table, start: sent.read.start, count: sent.read.values.length }, { table: 'holdingRegister', start: 10, count: 2 });
        // HR:10–11 of the simulator is π as float32 ABCD.
        assert.deepEqual(sent.read?.values, [0x4049, 0x0fdb]);
      });
    }
  }

  it('refuses what is no request in any form, saying which forms it accepts', async () => {
    const reply = await client.raw('capture.prepare', { device: 'tcp', hex: '01 03 00' });
    assert.equal(reply.ok, false);
    assert.match(JSON.stringify(reply), /a PDU, unit \+ PDU, or a whole frame/);
  });
});

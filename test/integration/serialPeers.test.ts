/**
 * Serial lines checked against implementations that are not ours, over socat pty
 * pairs at two baud rates, so a framing bug Bifrost shares with its own simulator
 * (a CRC off by one bit, an LRC, a frame end) cannot pass:
 *
 * - the engine polls a pymodbus 3.0 serial server, in RTU and in ASCII, and
 *   Wireshark checks the CRC of every RTU frame either side sent;
 * - mbpoll (`-m rtu`) reads and writes Bifrost's simulator;
 * - the proxy's TCP→RTU path serves mbpoll and a pymodbus client in front of the
 *   pymodbus RTU server.
 *
 * pyserial cannot set parity on a pseudo-terminal, so the pymodbus side is 8N1/7N1
 * and Bifrost's end is configured to match.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BifrostConfigInput } from '../../gateway/api/config';
import { DEMO_LAYOUT } from '../../gateway/api/demo';
import { MODBUS_RTU_PORT } from '../../gateway/capture/pcap';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll, type Child } from './helpers/childProcess';
import { mbpoll, mbpollRegisters, mbpollRtu, pymodbusClient } from './helpers/peerClients';
import { startProxyCli } from './helpers/proxyCli';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { EXPECTED } from './helpers/pymodbusLayout';
import { GATEWAY_JS, REPO_ROOT, SYSTEM_PYTHON, requireBuiltGateway, requireMbpoll, requirePymodbus } from './helpers/tools';
import { requireTshark, rtuDecodeArgs, tsharkFields } from './helpers/tshark';
import { until } from './helpers/wait';

const SERIAL_SERVER = path.join(REPO_ROOT, 'test/integration/peers/pymodbus_serial_server.py');
const BAUDS = [9600, 115200] as const;

/** pymodbus's serial server needs pyserial-asyncio, which Debian's pymodbus 3.0 only recommends. */
function requirePymodbusSerial(): void {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import serial_asyncio'], { stdio: 'pipe' });
  } catch {
    throw new Error(`pyserial-asyncio is not importable by ${SYSTEM_PYTHON}: pymodbus's serial server needs it ("apt-get install python3-serial-asyncio")`);
  }
}

async function startPymodbusSerial(framing: 'rtu' | 'ascii', device: string, baud: number): Promise<Child> {
  const child = start(SYSTEM_PYTHON, [SERIAL_SERVER, framing, device, String(baud)]);
  await child.waitForStdout(/^serving/, 15_000);
  return child;
}

async function gatewayWith(config: BifrostConfigInput): Promise<TestChannelClient> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-serial-peers-')), 'bifrost.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const gateway = await startGateway(['--config', file]);
  return TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
}

describe('serial lines against implementations that are not ours (pymodbus 3.0, mbpoll, Wireshark)', function () {
  this.timeout(40_000);
  let client: TestChannelClient | undefined;

  before(() => {
    requireBuiltGateway();
    requireSocat();
    requirePymodbus();
    requirePymodbusSerial();
    requireMbpoll();
    requireTshark();
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await stopAll();
  });

  for (const framing of ['rtu', 'ascii'] as const) {
    for (const baud of BAUDS) {
      it(`the engine polls a pymodbus ${framing.toUpperCase()} server at ${baud} baud: every type, order and table decodes right`, async () => {
        const pty = await startPtyPair();
        await startPymodbusSerial(framing, pty.b, baud);
        client = await gatewayWith({
          version: 1,
          devices: [
            {
              name: 'pymodbus',
              transport: { kind: framing, path: pty.a, baudRate: baud, parity: 'none' },
              unitId: 1,
              pollMs: 200,
              timeoutMs: 1000,
              tags: EXPECTED.map((entry) => entry.tag),
            },
          ],
        });
        let tags = new Map<string, { quality: string; value: unknown; error?: string }>();
        await until(() => tags.size === EXPECTED.length && [...tags.values()].every((value) => value.quality === 'good'), 20_000, 'every tag to read good', async () => {
          const { devices } = await client!.request('devices.snapshot', {});
          tags = new Map(devices[0].tags.filter((tag) => tag.value).map((tag) => [tag.name, tag.value!]));
        });
        for (const entry of EXPECTED) assert.equal(tags.get(entry.tag.name)?.value, entry.value, entry.tag.name);

        if (framing === 'rtu') {
          // Wireshark's own CRC check on every frame: Bifrost's requests and pymodbus's replies.
          const pcap = await client.request('capture.exportPcap', { device: 'pymodbus' });
          assert.ok(pcap.frames >= 2 * 4, `requests and replies captured (${pcap.frames})`);
          const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-serial-pcap-')), 'rtu.pcap');
          fs.writeFileSync(file, Buffer.from(pcap.base64, 'base64'));
          const rows = await tsharkFields(file, ['mbrtu.unit_id', 'mbrtu.crc16.status'], rtuDecodeArgs(MODBUS_RTU_PORT));
          assert.equal(rows.length, pcap.frames);
          assert.deepEqual(rows.filter(([unit, crc]) => unit !== '1' || crc !== '1'), [], 'every frame unit 1 with a CRC Wireshark finds good');
        }
      });
    }
  }

  for (const baud of BAUDS) {
    it(`mbpoll -m rtu reads and writes Bifrost's simulator at ${baud} baud`, async () => {
      const pty = await startPtyPair();
      const simulator = start(process.execPath, [GATEWAY_JS, 'simulate', '--rtu', pty.b, '--baud', String(baud), '--units', '1']);
      await simulator.waitForStdout(/serving/);
      const h = DEMO_LAYOUT.holding;
      // π as float32 in the four word orders, the demo's fixed registers 10–17.
      const pi = mbpollRegisters(await mbpollRtu(pty.a, baud, 'even', ['-r', String(h.piAbcd), '-c', '8']));
      assert.deepEqual(
        [...pi.values()].map((value) => value & 0xffff),
        [0x4049, 0x0fdb, 0x0fdb, 0x4049, 0x4940, 0xdb0f, 0xdb0f, 0x4940],
      );
      await mbpollRtu(pty.a, baud, 'even', ['-r', String(h.setpoint)], ['4321']);
      const back = mbpollRegisters(await mbpollRtu(pty.a, baud, 'even', ['-r', String(h.setpoint), '-c', '1']));
      assert.equal(back.get(h.setpoint), 4321);
    });
  }

  for (const baud of BAUDS) {
    it(`the proxy's TCP→RTU path serves mbpoll and a pymodbus client in front of a pymodbus RTU server at ${baud} baud`, async () => {
      const pty = await startPtyPair();
      await startPymodbusSerial('rtu', pty.b, baud);
      const proxy = await startProxyCli(`rtu://${pty.a}?baud=${baud}&parity=none`);
      // Holding registers 0–4 as pymodbus_server.py lays them out: 1234, π ABCD, -1234, the low word of a uint32 CDAB.
      const layout = [1234, 16457, 4059, 64302, 52501];
      const read = mbpollRegisters(await mbpoll(proxy.port, ['-r', '0', '-c', '5']));
      assert.deepEqual([...read.values()].map((value) => value & 0xffff), layout);
      const viaPymodbus = await pymodbusClient(proxy.port, 50, 777 + baud % 1000);
      assert.deepEqual(viaPymodbus, { write: [50, 777 + baud % 1000], back: [777 + baud % 1000], block: layout });
      await mbpoll(proxy.port, ['-r', '51'], ['2468']);
      assert.equal(mbpollRegisters(await mbpoll(proxy.port, ['-r', '51', '-c', '1'])).get(51), 2468);
    });
  }
});

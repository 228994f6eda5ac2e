/**
 * The one-shot commands (read, write, scan, validate) of the shipped gateway against
 * its own simulator and against pymodbus 3.0: what a field engineer types, the tables
 * and JSON they print, and every exit code (0 done, 1 device error, 2 bad usage).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_LAYOUT, DEMO_NEGATIVE_VALUE } from '../../gateway/api/demo';
import { appendCrc } from '../../gateway/protocol/crc16';
import { runCli, tableRows } from './helpers/cliRun';
import { start, startPymodbus, startSimulator, stopAll, type Simulator } from './helpers/childProcess';
import { freePort } from './helpers/ports';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { GATEWAY_JS, REPO_ROOT, requireBuiltGateway, requirePymodbus } from './helpers/tools';
import { until } from './helpers/wait';

const PYMODBUS_SERVER = path.join(__dirname, 'peers/pymodbus_server.py');

describe('bifrost-gateway one-shot commands', function () {
  this.timeout(60_000);
  let simulator: Simulator;
  let pymodbus: Simulator;
  let sim: string;
  let py: string;
  let dir: string;

  before(async () => {
    requireBuiltGateway();
    requirePymodbus();
    [simulator, pymodbus] = await Promise.all([startSimulator(), startPymodbus(PYMODBUS_SERVER)]);
    sim = `tcp://127.0.0.1:${simulator.port}`;
    py = `tcp://127.0.0.1:${pymodbus.port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-cli-'));
  });
  after(async () => {
    await stopAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('read', () => {
    it('decodes one value as a tag of that type and word order would', async () => {
      const result = await runCli(['read', sim, `HR:${DEMO_LAYOUT.holding.piCdab}`, '--type', 'float32', '--order', 'CDAB']);
      assert.equal(result.code, 0, result.stderr);
      const [header, row] = tableRows(result.stdout);
      assert.deepEqual(header, ['address', 'type', 'value', 'raw']);
      assert.deepEqual(row, [`HR:${DEMO_LAYOUT.holding.piCdab}`, 'float32 CDAB', '3.1415927', '0x0FDB 0x4049']);
    });

    it('prints the register table Modbus Poll shows with --count, the asked type on the rows each value starts', async () => {
      // From eight rows before π ABCD: the float32 values start on rows 0, 2, 4…, so π's first row carries it.
      const start = DEMO_LAYOUT.holding.piAbcd - 8;
      const result = await runCli(['read', sim, `HR:${start}`, '--count', '10', '--type', 'float32']);
      assert.equal(result.code, 0, result.stderr);
      const rows = tableRows(result.stdout);
      assert.deepEqual(rows[0], ['address', 'hex', 'unsigned', 'signed', 'float32 ABCD']);
      assert.equal(rows.length, 11);
      const negative = rows[1 + DEMO_LAYOUT.holding.negative - start];
      assert.deepEqual(negative.slice(0, 4), [`HR:${DEMO_LAYOUT.holding.negative}`, '0xFB2E', String(DEMO_NEGATIVE_VALUE + 0x10000), String(DEMO_NEGATIVE_VALUE)]);
      const pi = rows[1 + DEMO_LAYOUT.holding.piAbcd - start];
      assert.deepEqual(pi, [`HR:${DEMO_LAYOUT.holding.piAbcd}`, '0x4049', '16457', '16457', '3.1415927']);
      assert.deepEqual(rows[2 + DEMO_LAYOUT.holding.piAbcd - start], [`HR:${DEMO_LAYOUT.holding.piAbcd + 1}`, '0x0FDB', '4059', '4059']);
    });

    it('reads coils and Modicon addresses, and answers --json with the decoded value and its registers', async () => {
      const coils = await runCli(['read', sim, 'CO:0', '--count', '2', '--json']);
      assert.equal(coils.code, 0, coils.stderr);
      const table = JSON.parse(coils.stdout);
      assert.equal(table.table, 'CO');
      assert.deepEqual(table.rows.map((row: { address: string }) => row.address), ['CO:0', 'CO:1']);
      const modicon = await runCli(['read', sim, `4${String(DEMO_LAYOUT.holding.piAbcd + 1).padStart(4, '0')}`, '--type', 'float32', '--json']);
      assert.equal(modicon.code, 0, modicon.stderr);
      const value = JSON.parse(modicon.stdout);
      assert.equal(value.address, `HR:${DEMO_LAYOUT.holding.piAbcd}`);
      assert.equal(value.value, 3.1415927);
      assert.deepEqual(value.raw, [0x4049, 0x0fdb]);
      assert.equal(value.endpoint, `${sim} #1`);
    });

    it('decodes pymodbus 3.0 values in every word order', async () => {
      const cases: [string[], string][] = [
        [['HR:1', '--type', 'float32'], '3.1415927'],
        [['HR:3', '--type', 'int16'], '-1234'],
        [['HR:4', '--type', 'uint32', '--order', 'CDAB'], '123456789'],
        [['HR:10', '--type', 'float32', '--order', 'DCBA'], '-123.456'],
        [['30002', '--type', 'float32', '--order', 'CDAB'], '2.5'],
        [['DI:1'], 'true'],
      ];
      for (const [args, expected] of cases) {
        const result = await runCli(['read', py, ...args]);
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
        assert.equal(tableRows(result.stdout)[1][2], expected, args.join(' '));
      }
    });

    it('--watch repeats the read until SIGINT, then exits 0', async () => {
      const watcher = start(process.execPath, [GATEWAY_JS, 'read', sim, `HR:${DEMO_LAYOUT.holding.counter}`, '--watch', '100', '--json']);
      await until(() => watcher.stdout.length >= 3, 10_000, 'three rounds of --watch');
      const counters = watcher.stdout.slice(0, 3).map((line) => JSON.parse(line).value as number);
      assert.ok(counters[2] > counters[0], `the demo counter moves between rounds: ${counters.join(', ')}`);
      watcher.process.kill('SIGINT');
      const { code, signal } = await watcher.exited;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, watcher.stderr.join('\n'));
    });

    it('exits 1 naming the exception when the device refuses the read (pymodbus: 100 registers)', async () => {
      const result = await runCli(['read', py, 'HR:100']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /refused read holding registers 100: exception 02 \(illegal data address\)/);
      const json = await runCli(['read', py, 'HR:100', '--json']);
      assert.equal(json.code, 1);
      const error = JSON.parse(json.stdout.trim().split('\n').at(-1)!).error;
      assert.equal(error.kind, 'exception');
      assert.equal(error.exceptionCode, 2);
    });

    it('exits 1 saying why when nothing listens at the URL', async () => {
      const port = await freePort();
      const result = await runCli(['read', `tcp://127.0.0.1:${port}`, 'HR:0']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`cannot reach tcp://127\\.0\\.0\\.1:${port} #1: .*connection refused`));
    });
  });

  describe('write', () => {
    it('encodes like a tag write, prints the PDU and the frame on the wire, and reads back', async () => {
      const address = DEMO_LAYOUT.holding.setpoint;
      const result = await runCli(['write', sim, `HR:${address}`, '21.5', '--type', 'float32', '--order', 'CDAB']);
      assert.equal(result.code, 0, result.stderr);
      const lines = tableRows(result.stdout);
      assert.deepEqual(lines[0], ['sent', `write multiple registers HR:${address}–${address + 1}: float32 CDAB 21.5 → 0x0000 0x41AC`]);
      assert.deepEqual(lines[1], ['PDU', '10 00 28 00 02 04 00 00 41 AC']);
      assert.equal(lines[2][0], 'frame (tcp)');
      // MBAP: any transaction id, protocol 0, length 11, unit 1, then the PDU.
      assert.match(lines[2][1], /^[0-9A-F]{2} [0-9A-F]{2} 00 00 00 0B 01 10 00 28 00 02 04 00 00 41 AC$/);
      assert.deepEqual(lines[3], ['read back', '21.5', '(0x0000 0x41AC)']);
      const check = await runCli(['read', sim, `HR:${address}`, '--type', 'float32', '--order', 'CDAB', '--json']);
      assert.equal(JSON.parse(check.stdout).value, 21.5);
    });

    it('writes a coil with FC 5 and a register bit with FC 22, negative values without "--"', async () => {
      const coil = await runCli(['write', sim, 'CO:5', 'on', '--json']);
      assert.equal(coil.code, 0, coil.stderr);
      const coilWrite = JSON.parse(coil.stdout);
      assert.equal(coilWrite.pdu, '050005ff00');
      assert.equal(coilWrite.readBack.value, true);
      assert.equal(coilWrite.matches, true);
      const bit = await runCli(['write', sim, 'HR:60.3', '1', '--json']);
      assert.equal(bit.code, 0, bit.stderr);
      assert.equal(JSON.parse(bit.stdout).function, 22);
      const negative = await runCli(['write', py, 'HR:20', '-7', '--type', 'int16', '--json']);
      assert.equal(negative.code, 0, negative.stderr);
      const written = JSON.parse(negative.stdout);
      assert.equal(written.pdu, '060014fff9');
      assert.equal(written.readBack.value, -7);
      assert.equal(written.matches, true);
    });

    it('exits 1 naming the exception a device answers a write with', async () => {
      const result = await runCli(['write', py, 'HR:150', '1']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /refused write single register 150: exception 02 \(illegal data address\)/);
    });
  });

  describe('scan', () => {
    it('lists the unit ids that answer with their identification (43/14) and server id (17)', async () => {
      const result = await runCli(['scan', sim, '--units', '1-3', '--timeout', '500']);
      assert.equal(result.code, 0, result.stderr);
      const rows = tableRows(result.stdout);
      assert.deepEqual(rows[0], ['unit', 'vendor', 'product', 'revision', 'server id', 'answers']);
      assert.deepEqual(rows.slice(1, 4).map((row) => row.slice(0, 3)), [1, 2, 3].map((unit) => [String(unit), 'Bifrost', 'BFR-SIM']));
      assert.match(rows[1][5], /answers FC 3, identification \(43\/14\), server id \(17\)/);
      assert.match(result.stdout, /3 unit\(s\) answered of 3 probed \(1–3\)/);
    });

    it('finds pymodbus as JSON, and exits 1 when the link cannot be opened', async () => {
      const result = await runCli(['scan', py, '--units', '1-2', '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout).found.map((unit: { unitId: number }) => unit.unitId), [1, 2]);
      const port = await freePort();
      const closed = await runCli(['scan', `tcp://127.0.0.1:${port}`, '--units', '1-2']);
      assert.equal(closed.code, 1);
      assert.match(closed.stderr, /cannot scan tcp:\/\/127\.0\.0\.1:\d+: .*connection refused/);
    });
  });

  describe('validate', () => {
    it('prints every problem with its JSON path, line and column, and exits 1', async () => {
      const file = path.join(dir, 'broken.json');
      fs.writeFileSync(
        file,
        [
          '{',
          '  "devices": [',
          '    {',
          '      "name": "plc",',
          '      "transport": { "kind": "tcp", "host": "127.0.0.1", "port": 70000 },',
          '      "tags": [{ "name": "a", "address": "XX:1" }],',
          '      "colour": "red"',
          '    }',
          '  ]',
          '}',
        ].join('\n'),
      );
      const result = await runCli(['validate', '--config', file]);
      assert.equal(result.code, 1);
      assert.deepEqual(result.stdout.trimEnd().split('\n'), [
        `${file}:5:66: devices[0].transport.port: port must be 1–65535`,
        `${file}:6:42: devices[0].tags[0].address: unknown table "XX" in "XX:1": expected HR, IR, CO or DI`,
        `${file}:7:7: devices[0]: unknown field "colour"`,
      ]);
      assert.match(result.stderr, /has 3 problems/);
      const json = await runCli(['validate', '--config', file, '--json']);
      assert.equal(json.code, 1);
      const report = JSON.parse(json.stdout);
      assert.equal(report.valid, false);
      assert.deepEqual(report.problems[0], { path: 'devices[0].transport.port', line: 5, column: 66, message: 'port must be 1–65535' });
    });

    it('reports a tag only resolution refuses, and passes a valid file with exit 0', async () => {
      const file = path.join(dir, 'base1.json');
      fs.writeFileSync(file, JSON.stringify({ devices: [{ name: 'plc', transport: { kind: 'tcp', host: '127.0.0.1' }, addressBase: 1, tags: [{ name: 'a', address: 'HR:0' }] }] }, null, 2));
      const base = await runCli(['validate', '--config', file]);
      assert.equal(base.code, 1);
      assert.match(base.stdout, /base1\.json:\d+:\d+: devices\[0\]\.tags\[0\]\.address: HR:0 is offset 0, but this device numbers offsets from 1/);
      const valid = path.join(dir, 'valid.json');
      fs.writeFileSync(valid, JSON.stringify({ devices: [{ name: 'plc', transport: { kind: 'tcp', host: '127.0.0.1' }, tags: [{ name: 'a', address: 'HR:0' }] }] }));
      const ok = await runCli(['validate', '--config', valid]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, `${valid}: valid (1 device(s), 1 tag(s), 0 proxies)\n`);
    });
  });

  describe('on a serial line (socat pty pair, the simulator serving RTU and ASCII)', () => {
    async function serialSimulator(framing: 'rtu' | 'ascii', baud: number): Promise<string> {
      requireSocat();
      const pty = await startPtyPair();
      const child = start(process.execPath, [GATEWAY_JS, 'simulate', `--${framing}`, pty.b, '--baud', String(baud), '--units', '1,2']);
      await child.waitForStdout(/serving/);
      return pty.a;
    }

    it('reads, writes with the RTU frame and its CRC, and scans the unit ids on the bus', async () => {
      const port = await serialSimulator('rtu', 19200);
      const url = `rtu://${port}?baud=19200`;
      const read = await runCli(['read', url, `HR:${DEMO_LAYOUT.holding.piAbcd}`, '--type', 'float32', '--unit', '2']);
      assert.equal(read.code, 0, read.stderr);
      assert.equal(tableRows(read.stdout)[1][2], '3.1415927');
      const write = await runCli(['write', url, `HR:${DEMO_LAYOUT.holding.setpoint}`, '1234', '--json']);
      assert.equal(write.code, 0, write.stderr);
      const written = JSON.parse(write.stdout);
      assert.equal(written.endpoint, `rtu://${port}@19200 8E1 #1`);
      // Unit id, the PDU, then the CRC-16 (low byte first) the wire carries.
      assert.equal(written.frames.length, 1);
      assert.equal(written.frames[0], appendCrc(Buffer.from('0106002804d2', 'hex')).toString('hex'));
      assert.equal(written.readBack.value, 1234);
      const scan = await runCli(['scan', url, '--units', '1-3', '--timeout', '300', '--json']);
      assert.equal(scan.code, 0, scan.stderr);
      assert.deepEqual(JSON.parse(scan.stdout).found.map((unit: { unitId: number }) => unit.unitId), [1, 2]);
    });

    it('reads Modbus ASCII', async () => {
      const port = await serialSimulator('ascii', 9600);
      const result = await runCli(['read', `ascii://${port}?baud=9600`, `HR:${DEMO_LAYOUT.holding.piCdab}`, '--type', 'float32', '--order', 'CDAB', '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).value, 3.1415927);
    });
  });

  describe('usage', () => {
    it('exits 2 with a plain message and a pointer to --help for every kind of bad command line', async () => {
      const cases: [string[], RegExp][] = [
        [['read', sim], /the ADDRESS is missing/],
        [['read'], /the device URL is missing/],
        [['read', 'modbus://x', 'HR:0'], /URL "modbus:\/\/x": unknown scheme "modbus" \(tcp, rtutcp, rtu, ascii\)/],
        [['read', sim, 'HR:0', '--type', 'float'], /--type must be one of "bool", "int16"/],
        [['read', sim, 'CO:0', '--type', 'float32'], /address CO:0 holds a single bit: type must be "bool"/],
        [['read', sim, 'HR:0', '--unit', '300'], /--unit must be a whole number from 0 to 255, not "300"/],
        [['read', sim, 'HR:0', '--colour'], /unknown option '--colour'/],
        [['read', sim, 'HR:0', 'HR:1'], /unexpected argument "HR:1"/],
        [['write', sim, 'IR:0', '5'], /cannot write IR:0: an input register is read-only by the protocol/],
        [['write', sim, 'HR:0', '70000'], /70000 does not fit uint16 \(an integer 0–65535\)/],
        [['write', sim, 'HR:0', 'abc'], /VALUE "abc" is not a number/],
        [['write', sim, 'HR:0'], /the VALUE to write is missing/],
        [['scan', sim, '--units', '9-3'], /--units takes a unit id or a range/],
        [['validate'], /--config FILE is required/],
        [['frobnicate'], /unknown command "frobnicate"/],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(args);
        assert.equal(result.code, 2, `${args.join(' ')} → ${result.code}: ${result.stderr}`);
        assert.match(result.stderr, message, args.join(' '));
        assert.match(result.stderr, /Run "bifrost-gateway( \w+)? --help" for usage\./, args.join(' '));
        assert.equal(result.stdout, '', `${args.join(' ')} prints nothing on stdout`);
      }
    });

    it('--version prints the package version, --help works on every command', async () => {
      const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.deepEqual(await runCli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
      for (const command of ['read', 'write', 'scan', 'validate', 'run', 'proxy', 'capture', 'simulate', 'serve', 'ports']) {
        const result = await runCli([command, '--help']);
        assert.equal(result.code, 0, `${command} --help: ${result.stderr}`);
        assert.match(result.stdout, new RegExp(`^Usage: bifrost-gateway ${command} `), command);
      }
    });
  });
});

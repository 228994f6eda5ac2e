/**
 * `bifrost-gateway simulate` against real Modbus masters: mbpoll (C, libmodbus-style
 * CLI) and modbus-serial (the Node library most users would pick), plus raw sockets
 * for pipelined and split requests.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import ModbusRTU from 'modbus-serial';
import { DEMO_LAYOUT } from '../../gateway/api/demo';
import { decodeMbapFrame, encodeMbapFrame } from '../../gateway/protocol/mbap';
import { MbapReassembler } from '../../gateway/protocol/mbapReassembler';
import { encodeRequest } from '../../gateway/protocol/requests';
import { start, startSimulator, stopAll, type Simulator } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { GATEWAY_JS, requireBuiltGateway, requireMbpoll } from './helpers/tools';
import { until, within } from './helpers/wait';

const run = promisify(execFile);

/** mbpoll prints "[1]: \t16457" or "[3]: \t64302 (-1234)": reference → unsigned value. */
function mbpollValues(output: string): Map<number, number> {
  const values = new Map<number, number>();
  for (const match of output.matchAll(/^\[(\d+)\]:\s+(-?[\d.]+)/gm)) values.set(Number(match[1]), Number(match[2]));
  return values;
}

describe('simulator (bifrost-gateway simulate)', function () {
  let simulator: Simulator;

  before(async () => {
    requireBuiltGateway();
    simulator = await startSimulator();
  });
  after(stopAll);

  describe('read by mbpoll', () => {
    let mbpoll: string;
    before(() => {
      mbpoll = requireMbpoll();
    });

    it('answers holding registers 1–10 with the demo layout', async () => {
      const { stdout } = await run(mbpoll, ['-m', 'tcp', '-p', String(simulator.port), '-r', '1', '-c', '10', '-1', '127.0.0.1']);
      const values = mbpollValues(stdout);
      assert.deepEqual([...values.keys()], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.ok(values.get(1)! >= 0 && values.get(1)! <= 65535, 'counter is a uint16');
      assert.equal(values.get(4), 64302, 'int16 -1234 as mbpoll prints it unsigned');
    });

    it('answers π (16457 4059) and reads it as a float like mbpoll does', async () => {
      const port = String(simulator.port);
      const words = mbpollValues((await run(mbpoll, ['-m', 'tcp', '-p', port, '-r', '11', '-c', '2', '-1', '127.0.0.1'])).stdout);
      assert.deepEqual([words.get(11), words.get(12)], [16457, 4059]);
      // -B: big-endian word order (ABCD); mbpoll itself decodes the float.
      const float = mbpollValues((await run(mbpoll, ['-m', 'tcp', '-p', port, '-t', '4:float', '-B', '-r', '11', '-c', '1', '-1', '127.0.0.1'])).stdout);
      assert.ok(Math.abs(float.get(11)! - Math.PI) < 1e-5, `mbpoll read ${float.get(11)}`);
    });

    it('reports exception 02 for an address past the demo layout', async () => {
      const failed = await run(mbpoll, ['-m', 'tcp', '-p', String(simulator.port), '-r', '1001', '-c', '1', '-1', '127.0.0.1']).then(
        () => undefined,
        (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
      );
      assert.match(failed ?? 'mbpoll succeeded', /Illegal data address/);
    });
  });

  describe('read and written by modbus-serial', () => {
    const client = new ModbusRTU();
    before(async () => {
      await client.connectTCP('127.0.0.1', { port: simulator.port });
      client.setID(1);
      client.setTimeout(2000);
    });
    after(() => new Promise<void>((resolve) => client.close(() => resolve())));

    it('FC 1 and 2 read coils and discrete inputs', async () => {
      assert.deepEqual((await client.readCoils(DEMO_LAYOUT.coils.running, 2)).data.slice(0, 2), [true, false]);
      const inputs = (await client.readDiscreteInputs(0, 2)).data.slice(0, 2);
      assert.equal(typeof inputs[0], 'boolean');
      assert.equal(inputs[1], false);
    });

    it('FC 3 and 4 read holding and input registers', async () => {
      assert.deepEqual((await client.readHoldingRegisters(DEMO_LAYOUT.holding.piAbcd, 2)).data, [16457, 4059]);
      const input = (await client.readInputRegisters(0, 3)).data;
      assert.ok(input[0] >= 200 && input[0] <= 230, `temperature ${input[0]} in tenths`);
    });

    it('FC 5 and 15 write coils that read back', async () => {
      await client.writeCoil(DEMO_LAYOUT.coils.alarmReset, true);
      await client.writeCoils(100, [true, false, true, true]);
      assert.deepEqual((await client.readCoils(0, 2)).data.slice(0, 2), [true, true]);
      assert.deepEqual((await client.readCoils(100, 4)).data.slice(0, 4), [true, false, true, true]);
    });

    it('FC 6 and 16 write registers that read back', async () => {
      await client.writeRegister(DEMO_LAYOUT.holding.setpoint, 300);
      await client.writeRegisters(500, [1, 2, 65535]);
      assert.deepEqual((await client.readHoldingRegisters(DEMO_LAYOUT.holding.setpoint, 1)).data, [300]);
      assert.deepEqual((await client.readHoldingRegisters(500, 3)).data, [1, 2, 65535]);
    });

    it('answers an out-of-range read with exception 2', async () => {
      await assert.rejects(client.readHoldingRegisters(999, 2), (error: { modbusCode?: number }) => error.modbusCode === 2);
    });
  });

  describe('on a raw socket', () => {
    let socket: net.Socket;
    const reassembler = new MbapReassembler();
    const received: Buffer[] = [];
    let notify = () => {};

    before(async () => {
      socket = net.connect(simulator.port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => {
        received.push(...reassembler.push(chunk));
        notify();
      });
      await new Promise((resolve) => socket.once('connect', resolve));
    });
    after(() => socket.destroy());

    /** The next `count` reply frames, as soon as they are complete (no polling delay). */
    function replies(count: number): Promise<Buffer[]> {
      const arrived = new Promise<Buffer[]>((resolve) => {
        const check = () => {
          if (received.length < count) return;
          notify = () => {};
          resolve(received.splice(0, count));
        };
        notify = check;
        check();
      });
      return within(arrived, 2000, `${count} replies`);
    }

    const read = (transactionId: number, address: number, quantity = 1) =>
      encodeMbapFrame({ transactionId, unitId: 7, pdu: encodeRequest({ functionCode: 3, address, quantity }) });

    it('answers three pipelined requests sent in one segment, in order', async () => {
      socket.write(Buffer.concat([read(1, 10, 2), read(2, 3), read(3, 20, 2)]));
      const frames = (await replies(3)).map(decodeMbapFrame);
      assert.deepEqual(frames.map((f) => f.transactionId), [1, 2, 3]);
      assert.deepEqual(frames.map((f) => f.unitId), [7, 7, 7], 'any unit id is answered and echoed');
      assert.equal(frames[0].pdu.toString('hex'), '030440490fdb');
      assert.equal(frames[1].pdu.toString('hex'), '0302fb2e');
      assert.equal(frames[2].pdu.toString('hex'), '0304075bcd15');
    });

    it('answers a request that arrives one byte at a time', async () => {
      for (const byte of read(4, 3)) {
        socket.write(Buffer.of(byte));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const [frame] = (await replies(1)).map(decodeMbapFrame);
      assert.equal(frame.transactionId, 4);
      assert.equal(frame.pdu.toString('hex'), '0302fb2e');
    });

    it('answers an unknown function with exception 01 and a bad quantity with 03', async () => {
      socket.write(encodeMbapFrame({ transactionId: 5, unitId: 1, pdu: Buffer.of(0x0c) }));
      socket.write(encodeMbapFrame({ transactionId: 6, unitId: 1, pdu: Buffer.from('030000007e', 'hex') }));
      const frames = (await replies(2)).map(decodeMbapFrame);
      assert.deepEqual(frames.map((f) => f.pdu.toString('hex')), ['8c01', '8303']);
    });
    // Reply latency is measured by `npm run bench`, not asserted here: timed tests on a
    // busy machine fail for reasons that are not the code's.
  });

  it('serves several clients at once', async () => {
    const clients = Array.from({ length: 4 }, () => new ModbusRTU());
    try {
      await Promise.all(clients.map((c) => c.connectTCP('127.0.0.1', { port: simulator.port })));
      const results = await Promise.all(clients.map((c) => c.readHoldingRegisters(DEMO_LAYOUT.holding.negative, 1)));
      assert.deepEqual(results.map((r) => r.data[0]), [64302, 64302, 64302, 64302]);
    } finally {
      await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.close(() => resolve()))));
    }
  });

  it('--fault exception:6 --fault-every 3: every third request answers exception 06, and each is logged', async () => {
    const faulty = start(process.execPath, [GATEWAY_JS, 'simulate', '--listen', '127.0.0.1:0', '--fault', 'exception:6', '--fault-every', '3']);
    const port = Number((await faulty.waitForStdout(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    const client = await MbapClient.connect(port);
    try {
      const replies: string[] = [];
      for (let i = 0; i < 9; i++) replies.push((await client.request(1, readHolding(DEMO_LAYOUT.holding.negative, 1))).pdu.toString('hex'));
      assert.deepEqual(replies, ['0302fb2e', '0302fb2e', '8306', '0302fb2e', '0302fb2e', '8306', '0302fb2e', '0302fb2e', '8306']);
      await until(() => faulty.stderr.filter((line) => line.includes('fault: exception 0x06 instead of the reply, 1 in 3')).length === 3, 5000, 'three logged faults');
    } finally {
      client.close();
    }
  });

  it('--fault refuses what a framing cannot carry, in plain words', async () => {
    const refused = start(process.execPath, [GATEWAY_JS, 'simulate', '--listen', '127.0.0.1:0', '--fault', 'badChecksum']);
    const { code } = await within(refused.exited, 5000, 'the simulator to refuse');
    assert.notEqual(code, 0);
    assert.match(refused.stderr.join('\n'), /--fault badChecksum cannot happen on Modbus TCP/);
  });

  it('stops cleanly on SIGINT', async () => {
    const other = await startSimulator();
    other.process.kill('SIGINT');
    assert.deepEqual(await within(other.exited, 5000, 'the simulator to exit'), { code: 0, signal: null });
  });
});

/**
 * Conformance with independent Modbus implementations, both directions:
 *
 * - Bifrost's simulator (gateway/simulator, in this process) as the server for
 *   modbus-serial's client, mbpoll and a pymodbus 3.0 client script;
 * - Bifrost's codec as the client (a thin socket client built on encodeRequest /
 *   decodeResponse, the same calls the engine's session makes) against a pymodbus
 *   server and modbus-serial's ServerTCP.
 *
 * Every function code each peer implements is exercised; values are checked against
 * the server's data, not just "no error".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import ModbusRTU, { ServerTCP } from 'modbus-serial';
import { decodeMbapFrame, encodeMbapFrame } from '../../gateway/protocol/mbap';
import { MbapReassembler } from '../../gateway/protocol/mbapReassembler';
import { encodeRequest, type ModbusRequest } from '../../gateway/protocol/requests';
import { decodeResponse, type ExceptionResponse, type ModbusResponse } from '../../gateway/protocol/responses';
import { ModbusDataModel } from '../../gateway/simulator/dataModel';
import { handleRequestPdu } from '../../gateway/simulator/requestHandler';
import { ModbusTcpServer } from '../../gateway/simulator/tcpServer';
import { start, startPymodbus, stopAll, type Simulator } from './helpers/childProcess';
import { freePort } from './helpers/ports';
import { SYSTEM_PYTHON, requireMbpoll, requirePymodbus } from './helpers/tools';
import { within } from './helpers/wait';

const run = promisify(execFile);
/** modbus-serial's callback API for FC 17 (missing from its type declarations). */
type WriteFC17 = (
  unit: number,
  unused1: number,
  unused2: number,
  next: (error: Error | null, value: { serverId: number; running: boolean; additionalData: Buffer }) => void,
) => void;
const PEERS = path.join(__dirname, 'peers');
const UNIT = 1;

/** A simulator whose tables hold recognisable values: register i = 100 + i, coil i on when i % 3 == 0. */
function knownModel(): ModbusDataModel {
  const model = new ModbusDataModel({ registers: 200, bits: 200 });
  for (let i = 0; i < 200; i++) {
    model.holdingRegisters[i] = 100 + i;
    model.inputRegisters[i] = 500 + i;
    model.coils[i] = i % 3 === 0 ? 1 : 0;
    model.discreteInputs[i] = i % 2 === 1 ? 1 : 0;
  }
  model.exceptionStatus = 0x6d;
  return model;
}

async function startSimulatorServer(model: ModbusDataModel): Promise<{ server: ModbusTcpServer; port: number }> {
  const server = new ModbusTcpServer({ handler: (pdu) => handleRequestPdu(model, pdu) });
  const { port } = await server.listen('127.0.0.1', 0);
  return { server, port };
}

/** The codec as a client: one request at a time over a socket, replies decoded against their request. */
class CodecClient {
  private readonly reassembler = new MbapReassembler();
  private transactionId = 0;
  private waiting?: { id: number; request: ModbusRequest; resolve: (pdu: Buffer) => void; reject: (error: Error) => void };

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      for (const adu of this.reassembler.push(chunk)) {
        const frame = decodeMbapFrame(adu);
        if (this.waiting?.id === frame.transactionId) this.waiting.resolve(frame.pdu);
      }
    });
    socket.on('close', () => this.waiting?.reject(new Error('connection closed')));
  }

  static async connect(port: number): Promise<CodecClient> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.setNoDelay(true);
    return new CodecClient(socket);
  }

  async request(request: ModbusRequest): Promise<ModbusResponse | ExceptionResponse> {
    const id = ++this.transactionId & 0xffff;
    const reply = new Promise<Buffer>((resolve, reject) => {
      this.waiting = { id, request, resolve, reject };
    });
    this.socket.write(encodeMbapFrame({ transactionId: id, unitId: UNIT, pdu: encodeRequest(request) }));
    const pdu = await within(reply, 5000, `a reply to FC ${request.functionCode}`);
    return decodeResponse(pdu, request, { unitId: UNIT });
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('conformance: Bifrost simulator as server', function () {
  let model: ModbusDataModel;
  let server: ModbusTcpServer;
  let port: number;

  beforeEach(async () => {
    model = knownModel();
    ({ server, port } = await startSimulatorServer(model));
  });
  afterEach(async () => {
    await server.close();
    await stopAll();
  });

  describe('for modbus-serial 8 client', () => {
    let client: ModbusRTU;
    beforeEach(async () => {
      client = new ModbusRTU();
      await client.connectTCP('127.0.0.1', { port });
      client.setID(UNIT);
      client.setTimeout(3000);
    });
    afterEach(() => new Promise<void>((resolve) => client.close(() => resolve())));

    it('reads coils, inputs, holding and input registers (FC 1–4)', async () => {
      assert.deepEqual((await client.readCoils(0, 7)).data.slice(0, 7), [true, false, false, true, false, false, true]);
      assert.deepEqual((await client.readDiscreteInputs(3, 4)).data.slice(0, 4), [true, false, true, false]);
      assert.deepEqual((await client.readHoldingRegisters(10, 3)).data, [110, 111, 112]);
      assert.deepEqual((await client.readInputRegisters(0, 125)).data, Array.from({ length: 125 }, (_, i) => 500 + i));
    });

    it('writes single and multiple coils and registers (FC 5, 6, 15, 16)', async () => {
      assert.deepEqual(await client.writeCoil(1, true), { address: 1, state: true });
      assert.deepEqual(await client.writeRegister(2, 0xbeef), { address: 2, value: 0xbeef });
      assert.deepEqual(await client.writeCoils(20, [true, true, false, true]), { address: 20, length: 4 });
      assert.deepEqual(await client.writeRegisters(50, [1, 2, 3]), { address: 50, length: 3 });
      assert.equal(model.coils[1], 1);
      assert.equal(model.holdingRegisters[2], 0xbeef);
      assert.deepEqual([...model.coils.subarray(20, 24)], [1, 1, 0, 1]);
      assert.deepEqual([...model.holdingRegisters.subarray(50, 53)], [1, 2, 3]);
    });

    it('mask-writes (FC 22) and reads/writes multiple registers (FC 23)', async () => {
      model.holdingRegisters[4] = 0x12;
      assert.deepEqual(await client.maskWriteRegister(4, 0x00f2, 0x0025), { address: 4, andMask: 0x00f2, orMask: 0x0025 });
      assert.equal(model.holdingRegisters[4], 0x17);
      const result = await new Promise<{ data: number[] }>((resolve, reject) =>
        client.writeFC23(UNIT, 3, 4, 4, 2, [7, 8], (error, value) => (error ? reject(error) : resolve(value))),
      );
      // Written first (4, 5 = 7, 8), then read 3–6.
      assert.deepEqual(result.data, [103, 7, 8, 106]);
      assert.deepEqual([...model.holdingRegisters.subarray(4, 6)], [7, 8]);
    });

    it('reports the server id (FC 17) and identifies the device (FC 43/14)', async () => {
      // The promise wrapper reportServerID() passes its callback in the wrong slot; call FC 17 directly.
      const id = await new Promise<{ serverId: number; running: boolean; additionalData: Buffer }>((resolve, reject) =>
        (client as unknown as { writeFC17: WriteFC17 }).writeFC17(UNIT, 0, 0, (error, value) => (error ? reject(error) : resolve(value))),
      );
      assert.equal(id.serverId, 0x42);
      assert.equal(id.running, true);
      const identity = await client.readDeviceIdentification(2, 0);
      assert.equal(identity.conformityLevel, 0x82);
      const data = identity.data as unknown as Record<number, string>;
      assert.deepEqual([data[0], data[1], data[2], data[4]], ['Bifrost', 'BFR-SIM', '1.0', 'Bifrost simulator']);
    });

    it('gets exception 02 for an address the device lacks', async () => {
      await assert.rejects(client.readHoldingRegisters(199, 2), (error: { modbusCode?: number }) => error.modbusCode === 2);
    });
  });

  describe('for mbpoll', () => {
    let mbpoll: string;
    const base = () => ['-m', 'tcp', '-p', String(port), '-a', String(UNIT), '-0', '-1'];
    const values = (output: string) => [...output.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)].map((match) => [Number(match[1]), Number(match[2])]);
    before(() => {
      mbpoll = requireMbpoll();
    });

    it('reads coils, discrete inputs, input and holding registers (FC 1–4)', async () => {
      const read = async (type: string, reference: number, count: number) =>
        values((await run(mbpoll, [...base(), '-t', type, '-r', String(reference), '-c', String(count), '127.0.0.1'])).stdout);
      assert.deepEqual(await read('0', 0, 4), [[0, 1], [1, 0], [2, 0], [3, 1]]);
      assert.deepEqual(await read('1', 0, 3), [[0, 0], [1, 1], [2, 0]]);
      assert.deepEqual(await read('3', 7, 2), [[7, 507], [8, 508]]);
      assert.deepEqual(await read('4', 120, 2), [[120, 220], [121, 221]]);
    });

    it('writes a coil, coils, a register and registers (FC 5, 15, 6, 16)', async () => {
      const write = (type: string, reference: number, data: number[]) =>
        run(mbpoll, [...base(), '-t', type, '-r', String(reference), '127.0.0.1', ...data.map(String)]);
      await write('0', 1, [1]);
      await write('0', 10, [0, 1, 1]);
      await write('4', 30, [4321]);
      await write('4', 40, [9, 8, 7]);
      assert.equal(model.coils[1], 1);
      assert.deepEqual([...model.coils.subarray(10, 13)], [0, 1, 1]);
      assert.equal(model.holdingRegisters[30], 4321);
      assert.deepEqual([...model.holdingRegisters.subarray(40, 43)], [9, 8, 7]);
    });
  });

  describe('for a pymodbus 3.0 client', () => {
    before(requirePymodbus);

    it('answers FC 1–8, 11, 15, 16, 17, 22, 23, 43/14 and an exception as pymodbus decodes them', async () => {
      model.holdingRegisters[40] = 0x12;
      const child = start(SYSTEM_PYTHON, [path.join(PEERS, 'pymodbus_conformance_client.py'), String(port)]);
      const [line] = await child.waitForStdout(/^\{.*\}$/, 15_000);
      const out = JSON.parse(line);
      assert.deepEqual(out.fc1, [true, false, false, true, false, false, true, false, false, true]);
      assert.deepEqual(out.fc2, [false, true, false, true, false, true, false, true, false, true]);
      assert.deepEqual(out.fc3, Array.from({ length: 10 }, (_, i) => 100 + i));
      assert.deepEqual(out.fc4, [500, 501, 502, 503, 504]);
      assert.deepEqual(out.fc5, [3, true]);
      assert.deepEqual(out.fc6, [20, 0xbeef]);
      assert.deepEqual(out.fc15, [8, 4]);
      assert.deepEqual(out.fc16, [30, 3]);
      assert.equal(out.fc7, 0x6d);
      assert.deepEqual(out.fc8, [0xa537]);
      // pymodbus reads status 0 as "ready" (true); 10 requests completed before FC 11.
      assert.deepEqual(out.fc11, [true, 10]);
      // pymodbus keeps every byte but the last as the identifier: our id, run indicator, text.
      assert.deepEqual(out.fc17[0], [0x42, 0xff, ...Buffer.from('Bifrost demo')]);
      assert.deepEqual(out.fc22, [40, 0xf2, 0x25]);
      assert.deepEqual(out.fc23, [0x17, 7, 8]);
      assert.equal(out.fc43.conformity, 0x82);
      assert.equal(out.fc43.more_follows, 0);
      assert.deepEqual(out.fc43.objects, Object.fromEntries([...model.identity.objects].map(([id, value]) => [String(id), value])));
      assert.deepEqual(out.exception, [0x83, 2]);
      assert.equal(model.coils[3], 1);
      assert.deepEqual([...model.coils.subarray(8, 12)], [1, 0, 1, 1]);
      await child.exited;
    });
  });
});

describe('conformance: Bifrost codec as client', function () {
  describe('against a pymodbus 3.0 server', () => {
    let server: Simulator;
    let client: CodecClient;
    before(async () => {
      requirePymodbus();
      server = await startPymodbus(path.join(PEERS, 'pymodbus_conformance_server.py'));
    });
    beforeEach(async () => {
      client = await CodecClient.connect(server.port);
    });
    afterEach(() => client.close());
    after(stopAll);

    it('reads FC 1–4', async () => {
      assert.deepEqual(await client.request({ functionCode: 1, address: 0, quantity: 5 }), {
        functionCode: 1,
        bits: [true, false, false, true, false],
      });
      assert.deepEqual(await client.request({ functionCode: 2, address: 1, quantity: 3 }), { functionCode: 2, bits: [true, false, true] });
      assert.deepEqual(await client.request({ functionCode: 3, address: 0, quantity: 125 }), {
        functionCode: 3,
        registers: Array.from({ length: 125 }, (_, i) => 1000 + i),
      });
      assert.deepEqual(await client.request({ functionCode: 4, address: 5, quantity: 2 }), { functionCode: 4, registers: [2005, 2006] });
    });

    it('writes FC 5, 6, 15, 16 and reads them back', async () => {
      assert.deepEqual(await client.request({ functionCode: 5, address: 1, value: true }), { functionCode: 5, address: 1, value: true });
      assert.deepEqual(await client.request({ functionCode: 6, address: 150, value: 42 }), { functionCode: 6, address: 150, value: 42 });
      assert.deepEqual(await client.request({ functionCode: 15, address: 100, values: [true, true, false] }), {
        functionCode: 15,
        address: 100,
        quantity: 3,
      });
      assert.deepEqual(await client.request({ functionCode: 16, address: 160, values: [1, 2] }), { functionCode: 16, address: 160, quantity: 2 });
      assert.deepEqual(await client.request({ functionCode: 1, address: 100, quantity: 3 }), { functionCode: 1, bits: [true, true, false] });
      assert.deepEqual(await client.request({ functionCode: 3, address: 150, quantity: 1 }), { functionCode: 3, registers: [42] });
    });

    it('FC 7, 8/0, 11 and 17', async () => {
      const status = await client.request({ functionCode: 7 });
      assert.equal((status as { functionCode: number }).functionCode, 7);
      // pymodbus 3.0's server unpacks exactly one data word for sub-function 0 (more closes the connection).
      assert.deepEqual(await client.request({ functionCode: 8, subFunction: 0, data: [0xa537] }), {
        functionCode: 8,
        subFunction: 0,
        data: [0xa537],
      });
      const counter = await client.request({ functionCode: 11 });
      assert.ok('eventCount' in counter && counter.status === 0, JSON.stringify(counter));
      const id = await client.request({ functionCode: 17 });
      assert.deepEqual(id, {
        functionCode: 17,
        serverId: 0x2a,
        running: true,
        additionalData: Buffer.concat([Buffer.from('pymodbus'), Buffer.of(0xff)]),
      });
    });

    it('FC 22 and 23', async () => {
      await client.request({ functionCode: 6, address: 170, value: 0x12 });
      assert.deepEqual(await client.request({ functionCode: 22, address: 170, andMask: 0xf2, orMask: 0x25 }), {
        functionCode: 22,
        address: 170,
        andMask: 0xf2,
        orMask: 0x25,
      });
      assert.deepEqual(await client.request({ functionCode: 23, address: 170, quantity: 3, writeAddress: 171, values: [7, 8] }), {
        functionCode: 23,
        registers: [0x17, 7, 8],
      });
    });

    it('FC 43/14: basic stream, regular stream and individual access', async () => {
      const basic = await client.request({ functionCode: 43, deviceIdCode: 1, objectId: 0 });
      assert.ok('objects' in basic);
      assert.deepEqual(basic.objects, [
        { id: 0, value: 'pymodbus-peer' },
        { id: 1, value: 'PM-3' },
        { id: 2, value: '3.0' },
      ]);
      const regular = await client.request({ functionCode: 43, deviceIdCode: 2, objectId: 0 });
      assert.ok('objects' in regular && regular.objects.some((object) => object.id === 4 && object.value === 'conformance'));
      const one = await client.request({ functionCode: 43, deviceIdCode: 4, objectId: 1 });
      assert.ok('objects' in one);
      assert.deepEqual(one.objects, [{ id: 1, value: 'PM-3' }]);
    });

    it('decodes exception 02 for an address the server lacks', async () => {
      assert.deepEqual(await client.request({ functionCode: 3, address: 300, quantity: 2 }), { functionCode: 3, exceptionCode: 2 });
    });
  });

  describe('against modbus-serial 8 ServerTCP', () => {
    let server: ServerTCP;
    let client: CodecClient;
    const holding = new Map<number, number>();
    const coils = new Map<number, boolean>();
    before(async () => {
      const port = await freePort();
      // ServerTCP treats port 0 as "default 502": take a free port first.
      server = new ServerTCP(
        {
          getCoil: (address: number) => coils.get(address) ?? address % 2 === 0,
          getDiscreteInput: (address: number) => address % 4 === 0,
          getHoldingRegister: (address: number) => {
            if (address >= 1000) throw Object.assign(new Error(`no register ${address}`), { modbusErrorCode: 2 });
            return holding.get(address) ?? 300 + address;
          },
          getInputRegister: (address: number) => 700 + address,
          setCoil: (address: number, value: boolean) => void coils.set(address, value),
          setRegister: (address: number, value: number) => void holding.set(address, value),
          readDeviceIdentification: () => ({ 0x00: 'modbus-serial-peer', 0x01: 'MS-8', 0x02: '8.0.25', 0x05: 'ServerTCP' }),
        } as ConstructorParameters<typeof ServerTCP>[0],
        { host: '127.0.0.1', port, unitID: UNIT },
      );
      await new Promise<void>((resolve) => server.on('initialized', () => resolve()));
      client = await CodecClient.connect(port);
    });
    after(async () => {
      client?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('reads FC 1–4', async () => {
      assert.deepEqual(await client.request({ functionCode: 1, address: 0, quantity: 3 }), { functionCode: 1, bits: [true, false, true] });
      assert.deepEqual(await client.request({ functionCode: 2, address: 0, quantity: 5 }), {
        functionCode: 2,
        bits: [true, false, false, false, true],
      });
      assert.deepEqual(await client.request({ functionCode: 3, address: 10, quantity: 2 }), { functionCode: 3, registers: [310, 311] });
      assert.deepEqual(await client.request({ functionCode: 4, address: 1, quantity: 1 }), { functionCode: 4, registers: [701] });
    });

    it('writes FC 5, 6, 15, 16', async () => {
      assert.deepEqual(await client.request({ functionCode: 5, address: 7, value: true }), { functionCode: 5, address: 7, value: true });
      assert.deepEqual(await client.request({ functionCode: 6, address: 3, value: 99 }), { functionCode: 6, address: 3, value: 99 });
      assert.deepEqual(await client.request({ functionCode: 15, address: 20, values: [true, false] }), {
        functionCode: 15,
        address: 20,
        quantity: 2,
      });
      assert.deepEqual(await client.request({ functionCode: 16, address: 40, values: [5, 6] }), { functionCode: 16, address: 40, quantity: 2 });
      assert.deepEqual([coils.get(7), holding.get(3), coils.get(20), coils.get(21), holding.get(40), holding.get(41)], [true, 99, true, false, 5, 6]);
    });

    it('FC 43/14 regular stream and individual access', async () => {
      const regular = await client.request({ functionCode: 43, deviceIdCode: 2, objectId: 0 });
      assert.ok('objects' in regular);
      assert.deepEqual(
        regular.objects.filter((object) => [0, 1, 2, 5].includes(object.id)),
        [
          { id: 0, value: 'modbus-serial-peer' },
          { id: 1, value: 'MS-8' },
          { id: 2, value: '8.0.25' },
          { id: 5, value: 'ServerTCP' },
        ],
      );
      const one = await client.request({ functionCode: 43, deviceIdCode: 4, objectId: 5 });
      assert.ok('objects' in one);
      assert.deepEqual(one.objects, [{ id: 5, value: 'ServerTCP' }]);
    });

    it('decodes exceptions: 01 for a function it lacks, 02 from the vector', async () => {
      // ServerTCP silently drops requests shorter than 6 bytes as RTU (FC 7, 11, 17): ask FC 22 instead.
      assert.deepEqual(await client.request({ functionCode: 22, address: 0, andMask: 0, orMask: 0 }), { functionCode: 22, exceptionCode: 1 });
      assert.deepEqual(await client.request({ functionCode: 3, address: 1000, quantity: 1 }), { functionCode: 3, exceptionCode: 2 });
    });
  });
});

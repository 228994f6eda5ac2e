/**
 * The Registers view's gateway methods against pymodbus 3.0 whose registers the test
 * lays out: ranges larger than one read, a range that runs into a hole (exception on
 * those rows only), writes with read-back, tag previews — on an ad-hoc endpoint with
 * no configuration at all, and on a configured device with its own limits.
 */
import assert from 'node:assert/strict';
import type { RangeChunk } from '../../gateway/api/registers';
import { rangeValues } from '../../gateway/api/codec/rangeValues';
import { describeCandidate, findByTwoReads } from '../../gateway/api/codec/valueFinder';
import { TestChannelClient } from './helpers/channelClient';
import { start, startGateway, stopAll, type Simulator } from './helpers/childProcess';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { DEMO_LAYOUT } from '../../gateway/api/demo';
import { registersAt, startRegisterServer } from './helpers/registerServer';
import { GATEWAY_JS, requireBuiltGateway, requirePymodbus } from './helpers/tools';

/** HR:0..179 exist (value = 1000 + address), HR:180..199 do not, HR:200..209 do again. */
const HR = { ...registersAt(0, Array.from({ length: 180 }, (_, i) => 1000 + i)), ...registersAt(200, Array(10).fill(7)) };
// float32 CDAB 230.1 at HR:20: bytes 43 66 19 9A → words 0x199A 0x4366.
HR[20] = 0x199a;
HR[21] = 0x4366;

function valuesOf(chunks: RangeChunk[]): (number | undefined)[] {
  return rangeValues(chunks, chunks[0].start, chunks.reduce((sum, chunk) => sum + chunk.count, 0));
}

describe('registers.* and tag.preview against pymodbus', function () {
  let server: Simulator;
  let client: TestChannelClient;

  before(async () => {
    requireBuiltGateway();
    requirePymodbus();
    server = await startRegisterServer({ hr: HR, co: registersAt(0, [1, 0, 1, 1]) });
    const gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  const endpoint = () => ({ transport: { kind: 'tcp' as const, host: '127.0.0.1', port: server.port }, unitId: 1 });

  it('reads 150 holding registers from an endpoint typed on the spot, in reads of at most 125', async () => {
    const result = await client.request('registers.read', { target: { endpoint: endpoint() }, table: 'holdingRegister', start: 0, count: 150 });
    assert.equal(result.label, `tcp://127.0.0.1:${server.port} #1`);
    assert.deepEqual(result.chunks.map((c) => [c.start, c.count]), [[0, 125], [125, 25]]);
    const values = valuesOf(result.chunks);
    assert.equal(values[0], 1000);
    assert.equal(values[149], 1149);
    assert.deepEqual(values.slice(20, 22), [0x199a, 0x4366]);
  });

  it('shows the exception on the illegal rows only and values on the rest', async () => {
    const result = await client.request('registers.read', { target: { endpoint: endpoint() }, table: 'holdingRegister', start: 100, count: 110 });
    const covered = result.chunks.reduce((sum, chunk) => sum + chunk.count, 0);
    assert.equal(covered, 110);
    const values = valuesOf(result.chunks);
    for (let address = 100; address < 210; address++) {
      const value = values[address - 100];
      if (address >= 180 && address < 200) assert.equal(value, undefined, `HR:${address} should be refused`);
      else assert.equal(value, address < 180 ? 1000 + address : 7, `HR:${address}`);
    }
    const refused = result.chunks.filter((chunk) => chunk.values === undefined);
    assert.ok(refused.every((chunk) => chunk.exceptionCode === 2 && /illegal data address/.test(chunk.error ?? '')), JSON.stringify(refused));
  });

  it('reads coils as 0/1', async () => {
    const result = await client.request('registers.read', { target: { endpoint: endpoint() }, table: 'coil', start: 0, count: 4 });
    assert.deepEqual(valuesOf(result.chunks), [1, 0, 1, 1]);
  });

  it('previews the exact write, writes float32 CDAB and reads the registers back', async () => {
    const write = { target: { endpoint: endpoint() }, table: 'holdingRegister' as const, address: 30, format: { type: 'float32' as const, order: 'CDAB' as const }, value: 230.1 };
    const preview = await client.request('registers.encodeWrite', write);
    assert.equal(preview.frame, '10001e000204199a4366');
    const done = await client.request('registers.write', write);
    assert.deepEqual(done.readBack.values, [0x199a, 0x4366]);
    const again = await client.request('registers.read', { target: { endpoint: endpoint() }, table: 'holdingRegister', start: 30, count: 2 });
    assert.deepEqual(valuesOf(again.chunks), [0x199a, 0x4366]);
  });

  it('previews a tag definition once, decoded, before it is saved', async () => {
    const value = await client.request('tag.preview', { target: { endpoint: endpoint() }, tag: { name: 'voltage', address: 'HR:20', type: 'float32', order: 'CDAB' } });
    assert.equal(value.quality, 'good');
    assert.equal(value.value, 230.1);
    const bad = await client.request('tag.preview', { target: { endpoint: endpoint() }, tag: { name: 'hole', address: 'HR:190', type: 'uint16' } });
    assert.equal(bad.quality, 'bad');
    assert.match(bad.error ?? '', /illegal data address/);
  });

  it('uses a configured device with its limits, and refuses writes to a read-only one', async () => {
    await client.request('config.apply', {
      config: {
        version: 1,
        devices: [{ name: 'meter', transport: { kind: 'tcp', host: '127.0.0.1', port: server.port }, maxRegistersPerRead: 50, readOnly: true, pollMs: 60_000 }],
      },
    });
    const result = await client.request('registers.read', { target: { device: 'meter' }, table: 'holdingRegister', start: 0, count: 120 });
    assert.deepEqual(result.chunks.map((c) => c.count), [50, 50, 20]);
    const refused = await client.raw('registers.encodeWrite', { target: { device: 'meter' }, table: 'holdingRegister', address: 0, value: 1 });
    assert.equal(refused.ok, false);
    assert.match(JSON.stringify(refused), /read-only/);
  });

  it('says which endpoint cannot be reached', async () => {
    const reply = await client.raw('registers.read', {
      target: { endpoint: { transport: { kind: 'tcp', host: '127.0.0.1', port: 1 }, unitId: 1 } },
      table: 'holdingRegister',
      start: 0,
      count: 1,
    });
    assert.equal(reply.ok, false);
    assert.match(JSON.stringify(reply), /cannot reach tcp:\/\/127\.0\.0\.1:1 #1/);
  });

  it('refuses a range past 65535 in plain words', async () => {
    const reply = await client.raw('registers.read', { target: { endpoint: endpoint() }, table: 'holdingRegister', start: 65500, count: 100 });
    assert.equal(reply.ok, false);
    assert.match(JSON.stringify(reply), /runs past address 65535/);
  });
});

describe('value finder against pymodbus: 2,000 registers of live noise', function () {
  let server: Simulator;
  let client: TestChannelClient;

  before(async () => {
    requireBuiltGateway();
    requirePymodbus();
    // float32 230.1 CDAB at HR:1200–1201, int16 2301 (×0.1) at HR:640; every other register changes on every read.
    server = await startRegisterServer({ hr: { 1200: 0x199a, 1201: 0x4366, 640: 2301 }, hrNoise: [0, 1999] });
    const gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  it('finds the float32 CDAB and the int16 ×0.1, with no more than 5 candidates', async () => {
    const target = { endpoint: { transport: { kind: 'tcp' as const, host: '127.0.0.1', port: server.port }, unitId: 1 } };
    const read = async () => rangeValues((await client.request('registers.read', { target, table: 'holdingRegister', start: 0, count: 2000 })).chunks, 0, 2000);
    const result = await findByTwoReads(read, 0, { target: 230.1, tolerance: 0.5 });
    const found = result.candidates.map((c) => describeCandidate(c, 'HR', 0));
    assert.ok(found.length <= 5, `too many candidates: ${found.join(', ')}`);
    assert.ok(found.includes('HR:1200 float32 CDAB'), found.join(', '));
    assert.ok(found.includes('HR:640 uint16 ×0.1'), found.join(', '));
    assert.equal(result.unreadable, 0);
    assert.ok(result.dropped > 0, 'noise that matched the first read by chance is dropped by the second');
  });
});

describe('registers.read on an ad-hoc serial endpoint (socat pseudo-terminals)', function () {
  this.timeout(30_000);
  let client: TestChannelClient;
  let path: string;

  before(async () => {
    requireBuiltGateway();
    requireSocat();
    const pty = await startPtyPair();
    path = pty.a;
    const simulator = start(process.execPath, [GATEWAY_JS, 'simulate', '--rtu', pty.b, '--baud', '19200', '--units', '1']);
    await simulator.waitForStdout(/serving/);
    const gateway = await startGateway();
    client = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
  });
  after(async () => {
    client?.close();
    await stopAll();
  });

  const endpoint = (unitId: number) => ({ transport: { kind: 'rtu' as const, path, baudRate: 19200 }, unitId, timeoutMs: 300 });

  it('reads the simulator over RTU with no configuration', async () => {
    const result = await client.request('registers.read', { target: { endpoint: endpoint(1) }, table: 'holdingRegister', start: DEMO_LAYOUT.holding.piAbcd, count: 2 });
    assert.equal(result.label, `rtu://${path}@19200 8E1 #1`);
    assert.deepEqual(result.chunks[0].values, [0x4049, 0x0fdb]);
  });

  it('a unit that does not answer fails its rows with the timeout, in words, without failing the call', async () => {
    const result = await client.request('registers.read', { target: { endpoint: endpoint(9) }, table: 'holdingRegister', start: 0, count: 130 });
    assert.equal(result.chunks.reduce((sum, chunk) => sum + chunk.count, 0), 130);
    assert.ok(result.chunks.every((chunk) => chunk.values === undefined && /unit 9/.test(chunk.error ?? '') && /300 ms/.test(chunk.error ?? '')), JSON.stringify(result.chunks));
  });
});

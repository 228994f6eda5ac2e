/**
 * `bifrost-gateway proxy` and `run` as a user runs them, with real peers: mbpoll, a
 * pymodbus 3.0 client and the modbus-serial client reading and writing through a
 * proxy to the simulator and to a pymodbus server; the allow-list, maxClients, a
 * port in use, and a clean stop on SIGTERM that closes the port.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ModbusRTU from 'modbus-serial';
import { start, startPymodbus, startSimulator, stopAll } from './helpers/childProcess';
import { MbapClient, readHolding } from './helpers/mbapClient';
import { occupyPort } from './helpers/ports';
import { mbpoll, pymodbusClient } from './helpers/peerClients';
import { startProxyCli } from './helpers/proxyCli';
import { GATEWAY_JS, REPO_ROOT, requireBuiltGateway, requireMbpoll, requirePymodbus } from './helpers/tools';

const PEERS = path.join(REPO_ROOT, 'test/integration/peers');

async function modbusSerial(port: number, address: number, value: number): Promise<{ back: number[]; block: number[] }> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  client.setTimeout(3000);
  try {
    await client.writeRegister(address, value);
    const back = (await client.readHoldingRegisters(address, 1)).data;
    const block = (await client.readHoldingRegisters(0, 5)).data;
    return { back, block };
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

/** Resolves with whether the server accepted and kept the connection long enough to answer. */
async function closedWithoutAnswer(port: number): Promise<boolean> {
  const client = await MbapClient.connect(port);
  try {
    await client.request(1, readHolding(0, 1));
    return false;
  } catch {
    return true;
  } finally {
    client.close();
  }
}

describe('proxy CLI with real peers', function () {
  this.timeout(30_000);

  before(() => {
    requireBuiltGateway();
    requireMbpoll();
    requirePymodbus();
  });
  afterEach(() => stopAll());

  for (const upstreamKind of ['simulator', 'pymodbus server'] as const) {
    it(`mbpoll, pymodbus and modbus-serial read and write through a proxy to the ${upstreamKind}`, async () => {
      const upstream = upstreamKind === 'simulator' ? await startSimulator() : await startPymodbus(path.join(PEERS, 'pymodbus_server.py'));
      const proxy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--max-in-flight', '4']);

      await mbpoll(proxy.port, ['-r', '60', '-t', '4'], ['4242']);
      const read = await mbpoll(proxy.port, ['-r', '60', '-c', '1', '-t', '4']);
      assert.match(read, /\[60\]:\s+4242/);

      const py = await pymodbusClient(proxy.port, 61, 777);
      assert.deepEqual(py.write, [61, 777]);
      assert.deepEqual(py.back, [777]);
      assert.equal(py.block.length, 5);

      const ms = await modbusSerial(proxy.port, 62, 31337);
      assert.deepEqual(ms.back, [31337]);
      assert.equal(ms.block.length, 5);
      if (upstreamKind === 'pymodbus server') assert.deepEqual(ms.block.slice(0, 1), [1234], 'the known value at HR 0');
    });
  }

  it('--read-only: mbpoll gets "Illegal function" for a write', async () => {
    const upstream = await startSimulator();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--read-only']);
    await assert.rejects(mbpoll(proxy.port, ['-r', '60', '-t', '4'], ['1']), /Illegal function/);
    assert.match(await mbpoll(proxy.port, ['-r', '0', '-c', '2', '-t', '4']), /\[0\]:/);
  });

  it('--allow: a loopback client outside the list is refused; inside it is served', async () => {
    const upstream = await startSimulator();
    const refusing = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--allow', '10.0.0.0/8,192.168.0.1']);
    assert.equal(await closedWithoutAnswer(refusing.port), true);
    const admitting = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--allow', '10.0.0.0/8,127.0.0.0/8']);
    assert.equal(await closedWithoutAnswer(admitting.port), false);
  });

  it('--max-clients 2: a third client is refused while two are connected', async () => {
    const upstream = await startSimulator();
    const proxy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`, ['--max-clients', '2']);
    const first = await MbapClient.connect(proxy.port);
    const second = await MbapClient.connect(proxy.port);
    await first.request(1, readHolding(0, 1));
    await second.request(1, readHolding(0, 1));
    assert.equal(await closedWithoutAnswer(proxy.port), true);
    first.close();
    await first.closed;
    // Once one leaves, a new client gets in (the proxy may take a moment to see the close).
    let admitted = false;
    for (let attempt = 0; attempt < 50 && !admitted; attempt++) admitted = !(await closedWithoutAnswer(proxy.port));
    assert.ok(admitted);
    second.close();
  });

  it('a port in use is an error naming host:port; SIGTERM stops cleanly and closes the port', async () => {
    const upstream = await startSimulator();
    const held = await occupyPort();
    const failing = start(process.execPath, [GATEWAY_JS, 'proxy', '--listen', `127.0.0.1:${held.port}`, '--upstream', `tcp://127.0.0.1:${upstream.port}`]);
    const { code } = await failing.exited;
    await held.release();
    assert.equal(code, 1);
    assert.match(failing.stderr.join('\n'), new RegExp(`127\\.0\\.0\\.1:${held.port}: port ${held.port} on 127\\.0\\.0\\.1 is already in use`));

    const proxy = await startProxyCli(`tcp://127.0.0.1:${upstream.port}`);
    proxy.process.kill('SIGTERM');
    const exit = await proxy.exited;
    assert.equal(exit.code, 0);
    assert.match(proxy.stderr.join('\n'), /stopping: SIGTERM/);
    await assert.rejects(
      new Promise((resolve, reject) => net.connect({ host: '127.0.0.1', port: proxy.port }).on('connect', resolve).on('error', reject)),
      /ECONNREFUSED/,
    );
  });

  it('run --config starts every proxy of a bifrost.json', async () => {
    const upstream = await startSimulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-run-'));
    const file = path.join(dir, 'bifrost.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        devices: [{ name: 'Sim', transport: { kind: 'tcp', host: '127.0.0.1', port: upstream.port } }],
        proxies: [
          { name: 'open', listen: { port: 0 }, device: 'Sim' },
          { name: 'readonly', listen: { port: 0 }, device: 'Sim', allowedFunctions: 'read-only' },
        ],
      }),
    );
    const gateway = start(process.execPath, [GATEWAY_JS, 'run', '--config', file]);
    const open = Number((await gateway.waitForStdout(/proxy open listening on 127\.0\.0\.1:(\d+)/))[1]);
    const readonly = Number((await gateway.waitForStdout(/proxy readonly listening on 127\.0\.0\.1:(\d+)/))[1]);
    await mbpoll(open, ['-r', '63', '-t', '4'], ['5']);
    await assert.rejects(mbpoll(readonly, ['-r', '63', '-t', '4'], ['6']), /Illegal function/);
    assert.match(await mbpoll(readonly, ['-r', '63', '-c', '1', '-t', '4']), /\[63\]:\s+5/);
  });
});

/**
 * A proxy forwards what its codec does not know (vendor and user-defined function
 * codes, diagnostic counters, other MEI types) as bytes and lets the device decide,
 * as mbusd and modbus-proxy do; engineering tools that use such codes keep working
 * through it. What is no function at all (0, 128+) is still answered 01 at the
 * proxy, and the read-only preset still refuses anything that is not a read.
 * Over TCP to a server that implements function 65, and over RTU on a socat pty to
 * a responder whose replies have no length rule the proxy knows (found by CRC).
 */
import assert from 'node:assert/strict';
import { SerialPort } from 'serialport';
import { crc16 } from '../../gateway/protocol/crc16';
import { MbapClient } from './helpers/mbapClient';
import { startProxyHarness, tcpProxyConfig, type ProxyHarness } from './helpers/proxyHarness';
import { stopAll } from './helpers/childProcess';
import { requireSocat, startPtyPair } from './helpers/ptyPair';
import { startUniqueAnswerServer, USER_FUNCTION, type UniqueAnswerServer } from './helpers/uniqueAnswerServer';

function rtu(unitId: number, pdu: Buffer): Buffer {
  const body = Buffer.concat([Buffer.of(unitId), pdu]);
  const crc = crc16(body);
  return Buffer.concat([body, Buffer.of(crc & 0xff, crc >>> 8)]);
}

/**
 * An RTU device on the far end of a pty that implements function 100 (user-defined):
 * it answers a byte count and that many bytes, the request's payload doubled. It
 * finds a request's end by its CRC, since the length rule is its own.
 */
async function startUserFunctionDevice(path: string, unitId: number): Promise<{ requests: Buffer[]; close(): Promise<void> }> {
  const port = new SerialPort({ path, baudRate: 115200 });
  await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject));
  const requests: Buffer[] = [];
  let pending = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let end = 4; end <= pending.length; end++) {
      const body = pending.subarray(0, end - 2);
      const crc = crc16(body);
      if (pending[end - 2] !== (crc & 0xff) || pending[end - 1] !== crc >>> 8) continue;
      const frame = Buffer.from(pending.subarray(0, end));
      pending = pending.subarray(end);
      requests.push(frame);
      if (frame[0] !== unitId) return;
      const payload = frame.subarray(2, -2);
      const doubled = Buffer.concat([payload, payload]);
      const pdu = frame[1] === 100 ? Buffer.concat([Buffer.of(100, doubled.length), doubled]) : Buffer.of(frame[1] | 0x80, 0x01);
      port.write(rtu(unitId, pdu));
      return;
    }
  });
  return { requests, close: () => new Promise((resolve) => port.close(() => resolve())) };
}

describe('proxy forwards function codes it does not parse', function () {
  this.timeout(30_000);
  let upstream: UniqueAnswerServer | undefined;
  let harness: ProxyHarness | undefined;
  let client: MbapClient | undefined;
  let device: { close(): Promise<void> } | undefined;

  afterEach(async () => {
    client?.close();
    await harness?.close();
    await upstream?.close();
    await device?.close();
    await stopAll(); // socat
    client = harness = upstream = device = undefined;
  });

  it("forwards a user-defined function, a diagnostics counter and an unknown MEI type to a TCP device and returns the device's bytes", async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port));
    client = await MbapClient.connect(harness.port);

    const user = await client.request(1, Buffer.of(USER_FUNCTION, 1, 2, 3, 4, 5));
    assert.deepEqual(user.pdu, Buffer.of(USER_FUNCTION, 5, 4, 3, 2, 1), "the device's own answer to function 65");
    const counter = await client.request(1, Buffer.of(8, 0, 0x0b, 0, 0)); // return bus message count
    assert.deepEqual(counter.pdu, Buffer.of(8, 0, 0x0b, 0x0c, 0x0b));
    const mei = await client.request(1, Buffer.of(0x2b, 0x0d, 0, 0)); // CANopen general reference: this device refuses it
    assert.deepEqual(mei.pdu, Buffer.of(0xab, 0x01), "the device's exception, not the proxy's");
    assert.deepEqual(
      upstream.received.map((r) => r.pdu.toString('hex')),
      ['410102030405', '08000b0000', '2b0d0000'],
      'all three reached the device as sent',
    );
    const deviceLegs = harness.engine.capture.snapshot().frames.filter((f) => f.link.startsWith('tcp:') && f.direction === 'tx');
    assert.equal(deviceLegs.length, 3);
    assert.ok(deviceLegs.every((f) => f.correlation?.startsWith('proxy P #')), 'the device legs carry the correlation');
    assert.equal(harness.proxies.list()[0].stats.errors, 0);
  });

  it('answers 01 itself for what is no function (0, 128+) and, when read-only, for an unknown function', async () => {
    upstream = await startUniqueAnswerServer();
    harness = await startProxyHarness(tcpProxyConfig(upstream.port, {}, { allowedFunctions: 'read-only' }));
    client = await MbapClient.connect(harness.port);
    assert.deepEqual((await client.request(1, Buffer.of(0, 1))).pdu, Buffer.of(0x80, 0x01));
    assert.deepEqual((await client.request(1, Buffer.of(0x90, 1))).pdu, Buffer.of(0x90, 0x01));
    assert.deepEqual((await client.request(1, Buffer.of(USER_FUNCTION, 1))).pdu, Buffer.of(USER_FUNCTION | 0x80, 0x01));
    assert.equal(upstream.received.length, 0, 'none of them reached the device');
  });

  it('forwards a user-defined function to an RTU device on a serial line, finding the reply by its CRC', async () => {
    requireSocat();
    const pty = await startPtyPair();
    device = await startUserFunctionDevice(pty.b, 7);
    harness = await startProxyHarness({
      devices: [{ name: 'Meter', unitId: 7, timeoutMs: 1000, transport: { kind: 'rtu', path: pty.a, baudRate: 115200 } }],
      proxies: [{ name: 'P', listen: { port: 0 }, device: 'Meter' }],
    });
    client = await MbapClient.connect(harness.port);
    for (const payload of [Buffer.of(0xaa), Buffer.of(1, 2, 3, 4, 5, 6, 7), Buffer.alloc(60, 0x5c)]) {
      const reply = await client.request(7, Buffer.concat([Buffer.of(100), payload]));
      assert.deepEqual(reply.pdu, Buffer.concat([Buffer.of(100, payload.length * 2), payload, payload]), `${payload.length}-byte payload`);
    }
    const refused = await client.request(7, Buffer.of(101, 9));
    assert.deepEqual(refused.pdu, Buffer.of(101 | 0x80, 0x01), "the device's exception passes through");
    assert.equal(harness.proxies.list()[0].stats.errors, 0);
  });
});

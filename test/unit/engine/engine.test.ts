import assert from 'node:assert/strict';
import type { DeviceSnapshot, DeviceStatus, TagValue } from '../../../gateway/api/channel';
import { BifrostConfig } from '../../../gateway/api/config';
import { demoConfig } from '../../../gateway/api/demo';
import { Engine, UnknownDeviceError } from '../../../gateway/engine/engine';
import { silentLogger } from '../../../gateway/engine/logger';
import { WriteRefusedError } from '../../../gateway/tags/writeRequest';
import type { LinkFrame } from '../../../gateway/transport/frames';
import { until } from '../helpers/scriptedServer';

describe('engine (in process, demo device)', function () {
  this.timeout(10_000);
  let engine: Engine;
  const statuses: DeviceStatus[] = [];
  const values: TagValue[] = [];
  const lists: DeviceSnapshot[][] = [];
  const frames: LinkFrame[] = [];

  before(() => {
    engine = new Engine({ logger: silentLogger, onFrame: (frame) => frames.push(frame) });
    engine.on('status', (status) => statuses.push(status));
    engine.on('values', (batch) => values.push(...batch));
    engine.on('devicesChanged', (devices) => lists.push(devices));
  });
  after(() => engine.close());

  it('runs the demo config over real TCP to its in-process simulator', async () => {
    const devices = await engine.apply(BifrostConfig.parse(demoConfig()));
    assert.equal(lists.length, 1);
    assert.match(devices[0].endpoint, /^demo:\/\/127\.0\.0\.1:\d+ #1$/);
    await until(() => values.some((v) => v.tag === 'pi DCBA' && v.quality === 'good'), 5000, 'π');
    assert.equal(values.find((v) => v.tag === 'pi DCBA')?.value, 3.1415927);
    assert.deepEqual(statuses.slice(0, 2).map((s) => s.state), ['connecting', 'connected']);
    assert.ok(frames.some((f) => f.direction === 'tx') && frames.some((f) => f.direction === 'rx'), 'frames reach the hook');
  });

  it('reads the 14 demo tags with 5 requests per scan', async () => {
    // The discrete input is the last block of a scan.
    await until(() => values.some((v) => v.tag === 'blink' && v.quality === 'good'), 5000, 'a whole scan');
    // HR 0–30 in one block (gaps ≤ 8 bridged), HR 40, IR 0–2, CO 0, DI 0.
    const requests = new Set(frames.filter((f) => f.direction === 'tx').map((f) => f.bytes.subarray(7).toString('hex')));
    assert.deepEqual([...requests].sort(), ['0100000001', '0200000001', '030000001f', '0300280001', '0400000003']);
  });

  it('refuses unknown device names', () => {
    assert.throws(() => engine.connect('Nope'), UnknownDeviceError);
    assert.throws(() => engine.refresh('Nope'), UnknownDeviceError);
  });

  it('refuses a write to a tag the device does not have without inventing an address for it', async () => {
    await assert.rejects(engine.write('Demo', 'countr', 1), (error: Error) => {
      assert.ok(error instanceof WriteRefusedError);
      assert.equal(error.address, undefined);
      assert.match(error.message, /^Demo: cannot write tag "countr": no such tag on this device; expected one of: counter, /);
      return true;
    });
  });

  it('replaces the devices on apply and reports the new, empty list', async () => {
    const devices = await engine.apply(BifrostConfig.parse({ devices: [] }));
    assert.deepEqual(devices, []);
    assert.deepEqual(lists.at(-1), []);
    assert.equal(engine.hasDevice('Demo'), false);
  });
});

import assert from 'node:assert/strict';
import { BifrostConfig } from '../../../gateway/api/config';
import { demoConfig } from '../../../gateway/api/demo';
import { dispatch, type MethodHandlers } from '../../../gateway/channel/dispatcher';
import { ChannelRequestError } from '../../../gateway/channel/requestError';
import { UnknownDeviceError } from '../../../gateway/engine/engine';
import { silentLogger } from '../../../gateway/engine/logger';

const applied: unknown[] = [];
/** Methods this suite does not exercise answer as a handler that was never written would. */
const notUnderTest = (): never => {
  throw new Error('not under test');
};
const handlers: MethodHandlers = {
  'frames.decode': notUnderTest,
  'capture.snapshot': notUnderTest,
  'capture.clear': notUnderTest,
  'capture.exportPcap': notUnderTest,
  'capture.replay': notUnderTest,
  'capture.send': notUnderTest,
  'capture.record': notUnderTest,
  'capture.stopRecording': notUnderTest,
  'capture.prepare': notUnderTest,
  'capture.watch': notUnderTest,
  'device.plan': notUnderTest,
  'tag.write': notUnderTest,
  'tag.encodeWrite': notUnderTest,
  'discovery.scan': notUnderTest,
  'discovery.cancel': notUnderTest,
  'serial.ports': notUnderTest,
  'proxy.start': notUnderTest,
  'proxy.stop': notUnderTest,
  'proxy.stopAll': notUnderTest,
  'proxy.list': notUnderTest,
  'simulator.setFault': notUnderTest,
  'simulator.faults': notUnderTest,
  'registers.read': notUnderTest,
  'registers.encodeWrite': notUnderTest,
  'registers.write': notUnderTest,
  'tag.preview': notUnderTest,
  hello: () => ({ gatewayVersion: '0.1.0', protocolVersion: 1, pid: 1 }),
  'config.apply': (params) => {
    applied.push(params.config);
    return { devices: [] };
  },
  'devices.snapshot': () => {
    throw new Error('boom');
  },
  'device.connect': (params) => {
    throw new UnknownDeviceError(params.device);
  },
  'device.disconnect': () => {
    throw new ChannelRequestError('protocol_mismatch', 'custom code');
  },
  'device.refresh': () => ({}),
};

const send = (message: unknown) =>
  dispatch(typeof message === 'string' ? message : JSON.stringify(message), handlers, silentLogger, { watchFrames: () => 0 });
const request = (id: number, method: string, params: unknown) => send({ type: 'request', id, method, params });

describe('channel dispatcher', () => {
  it('answers a valid request with its result', async () => {
    assert.deepEqual(await request(1, 'hello', { client: 'test', protocolVersion: 1 }), {
      type: 'response',
      id: 1,
      ok: true,
      result: { gatewayVersion: '0.1.0', protocolVersion: 1, pid: 1 },
    });
  });

  it('answers text that is not JSON with bad_message and id -1', async () => {
    const response = await send('{not json');
    assert.equal(response.id, -1);
    assert.ok(!response.ok && response.error.code === 'bad_message');
  });

  it('answers a malformed envelope with bad_message, keeping the id when it can', async () => {
    const response = await send({ type: 'request', id: 9, params: {} });
    assert.equal(response.id, 9);
    assert.ok(!response.ok);
    assert.equal(response.error.code, 'bad_message');
    assert.match(response.error.message, /method/);
  });

  it('answers an unknown method with unknown_method', async () => {
    const response = await request(2, 'device.explode', {});
    assert.ok(!response.ok);
    assert.deepEqual(response.error, { code: 'unknown_method', message: 'unknown method "device.explode"' });
  });

  it('answers bad params with invalid_params naming the field', async () => {
    const response = await request(3, 'device.connect', { device: 42 });
    assert.ok(!response.ok);
    assert.equal(response.error.code, 'invalid_params');
    // Plain words: the field and what it must be, no method name and no validation-library phrasing.
    assert.equal(response.error.message, 'device must be text, not a number');
    const extra = await request(4, 'devices.snapshot', { unexpected: true });
    assert.ok(!extra.ok && extra.error.code === 'invalid_params');
  });

  it('answers a bad config with invalid_config and paths inside the config', async () => {
    const config = demoConfig();
    const tags = config.devices![0].tags!;
    tags[1] = { ...tags[1], address: 'QQ:1' };
    const response = await request(5, 'config.apply', { config });
    assert.ok(!response.ok);
    assert.equal(response.error.code, 'invalid_config');
    assert.match(response.error.message, /devices\[0\]\.tags\[1\]\.address: unknown table "QQ"/);
  });

  it('passes a parsed config (defaults filled) or null to the handler', async () => {
    applied.length = 0;
    await request(6, 'config.apply', { config: null });
    await request(7, 'config.apply', { config: { devices: [] } });
    assert.deepEqual(applied, [null, BifrostConfig.parse({ devices: [] })]);
  });

  it('maps handler errors to codes and never throws', async () => {
    const unknown = await request(8, 'device.connect', { device: 'Nope' });
    assert.ok(!unknown.ok && unknown.error.code === 'unknown_device');
    const custom = await request(9, 'device.disconnect', { device: 'x' });
    assert.ok(!custom.ok && custom.error.code === 'protocol_mismatch');
    const internal = await request(10, 'devices.snapshot', {});
    assert.ok(!internal.ok);
    assert.deepEqual(internal.error, { code: 'internal', message: 'boom' });
  });
});

import assert from 'node:assert/strict';
import { parseConfig, parseConfigText } from '../../../gateway/api/config';
import { demoConfig } from '../../../gateway/api/demo';

function problems(json: unknown) {
  const result = parseConfig(json);
  assert.ok(!result.ok, 'expected the config to be refused');
  return result.problems;
}

const device = (tags: unknown[], extra: object = {}) => ({
  name: 'Plc',
  transport: { kind: 'tcp', host: '10.0.0.5' },
  tags,
  ...extra,
});

describe('config schema', () => {
  it('accepts the demo config and fills defaults', () => {
    const result = parseConfig(demoConfig());
    assert.ok(result.ok);
    const demo = result.config.devices[0];
    assert.equal(demo.timeoutMs, 1000);
    assert.equal(demo.tags.find((t) => t.name === 'counter')?.order, 'ABCD');
  });

  it('fills TCP port 502, unit 1, poll 1000 ms, enabled', () => {
    const result = parseConfig({ devices: [device([{ name: 'a', address: 'HR:0' }])] });
    assert.ok(result.ok);
    const parsed = result.config.devices[0];
    assert.deepEqual(
      [parsed.transport.kind === 'tcp' && parsed.transport.port, parsed.unitId, parsed.pollMs, parsed.enabled, parsed.tags[0].type],
      [502, 1, 1000, true, 'uint16'],
    );
  });

  it('locates a bad address at devices[0].tags[1].address', () => {
    const found = problems({ devices: [device([{ name: 'a', address: 'HR:0' }, { name: 'b', address: 'QQ:1' }])] });
    assert.deepEqual(found.map((p) => p.path), ['devices[0].tags[1].address']);
    assert.match(found[0].message, /unknown table "QQ"/);
  });

  it('reports a duplicate tag name at the second one', () => {
    const found = problems({ devices: [device([{ name: 'a', address: 'HR:0' }, { name: 'a', address: 'HR:1' }])] });
    assert.deepEqual(found, [{ path: 'devices[0].tags[1].name', message: 'duplicate tag name "a" (first used at tags[0])' }]);
  });

  it('reports a duplicate device name', () => {
    const found = problems({ devices: [device([]), device([])] });
    assert.deepEqual(found.map((p) => p.path), ['devices[1].name']);
  });

  it('requires bool for bit addresses and a bit index for bool on a register', () => {
    const found = problems({
      devices: [
        device([
          { name: 'coil', address: 'CO:1', type: 'uint16' },
          { name: 'bit', address: 'HR:1.2', type: 'int16' },
          { name: 'flag', address: 'HR:3', type: 'bool' },
          { name: 'ok', address: 'HR:3.1', type: 'bool' },
        ]),
      ],
    });
    assert.deepEqual(found.map((p) => p.path), ['devices[0].tags[0].type', 'devices[0].tags[1].type', 'devices[0].tags[2].type']);
    assert.match(found[2].message, /needs a bit index, like HR:3\.0/);
  });

  it('refuses unknown keys, bad enums and out-of-range numbers with their paths', () => {
    const found = problems({
      devices: [device([{ name: 'a', address: 'HR:0', order: 'ADCB', colour: 'red' }], { unitId: 300, timeoutMs: 0 })],
    });
    assert.deepEqual(found.map((p) => p.path).sort(), [
      'devices[0].tags[0]',
      'devices[0].tags[0].order',
      'devices[0].timeoutMs',
      'devices[0].unitId',
    ]);
  });

  it('reports JSON syntax errors without a path', () => {
    const result = parseConfigText('{ "devices": [ }');
    assert.ok(!result.ok);
    assert.equal(result.problems[0].path, '');
    assert.match(result.problems[0].message, /not valid JSON/);
  });
});

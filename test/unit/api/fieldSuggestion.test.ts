import assert from 'node:assert/strict';
import { bifrostInputSchema, parseConfig } from '../../../gateway/api/config';
import { closestFieldName, fieldNamesAt } from '../../../gateway/api/fieldSuggestion';

function problems(json: unknown): Record<string, string> {
  const result = parseConfig(json);
  assert.ok(!result.ok, 'the config was accepted');
  return Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
}

describe('an unknown field in bifrost.json names the field it most likely meant', () => {
  const device = { name: 'Pump 1', transport: { kind: 'tcp', host: '127.0.0.1' }, tags: [] };

  it('in the mqtt section: a swapped pair of letters, the case of a letter, a name cut short', () => {
    assert.equal(problems({ devices: [device], mqtt: { url: 'mqtt://127.0.0.1:1883', password: 'x' } }).mqtt, 'unknown field "password" (did you mean "passwordEnv"?)');
    assert.equal(problems({ devices: [device], mqtt: { url: 'mqtt://127.0.0.1:1883', deadbnad: 0.5 } }).mqtt, 'unknown field "deadbnad" (did you mean "deadband"?)');
    assert.equal(problems({ devices: [device], mqtt: { url: 'mqtt://127.0.0.1:1883', writeback: true } }).mqtt, 'unknown field "writeback" (did you mean "writeBack"?)');
    assert.equal(problems({ devices: [device], MQTT: {} })[''], 'unknown field "MQTT" (did you mean "mqtt"?)');
  });

  it('in a device and inside a transport of any kind, and nothing when no allowed name is close', () => {
    assert.equal(problems({ devices: [{ ...device, pollMS: 500 }] })['devices[0]'], 'unknown field "pollMS" (did you mean "pollMs"?)');
    assert.equal(problems({ devices: [{ ...device, transport: { kind: 'tcp', host: 'h', prot: 502 } }] })['devices[0].transport'], 'unknown field "prot" (did you mean "port"?)');
    const serial = { kind: 'rtu', path: '/dev/ttyUSB0', baud: 19200 };
    assert.equal(problems({ devices: [{ ...device, transport: serial }] })['devices[0].transport'], 'unknown field "baud" (did you mean "baudRate"?)');
    assert.equal(problems({ devices: [{ ...device, colour: 'red' }] })['devices[0]'], 'unknown field "colour"');
  });

  it('reads the allowed names from the schema at that place, not from anywhere in the file', () => {
    const mqttFields = fieldNamesAt(bifrostInputSchema(), ['mqtt']);
    assert.ok(mqttFields.includes('deadband') && mqttFields.includes('writeBack'), mqttFields.join());
    assert.ok(!mqttFields.includes('pollMs'));
    assert.equal(closestFieldName('pollms', mqttFields), undefined);
    assert.equal(closestFieldName('qos', ['qos', 'prefix']), 'qos');
    assert.equal(closestFieldName('xy', ['qos']), undefined);
  });
});

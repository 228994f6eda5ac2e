import assert from 'node:assert/strict';
import { parseConfig } from '../../../gateway/api/config';
import { bifrostJsonSchema } from '../../../gateway/api/jsonSchema';

function problems(mqtt: Record<string, unknown>): string[] {
  const parsed = parseConfig({ mqtt });
  return parsed.ok ? [] : parsed.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('"mqtt" in bifrost.json', () => {
  it('takes a broker URL alone, with the defaults a commissioning engineer expects', () => {
    const parsed = parseConfig({ mqtt: { url: 'mqtt://127.0.0.1:1883' } });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.config.mqtt, {
      url: 'mqtt://127.0.0.1:1883',
      prefix: 'bifrost',
      qos: 1,
      retain: true,
      publish: 'change',
      deadband: 0,
      writeBack: false,
      format: 'json',
      bufferLimit: 10_000,
    });
  });

  it('words each mistake with its path', () => {
    assert.deepEqual(problems({ url: 'mqtt://a:1', qos: 2 }), ['mqtt.qos: qos must be one of 0, 1']);
    assert.deepEqual(problems({ url: 'mqtt://a:1', publish: 'always' }), ['mqtt.publish: publish must be one of "change", "scan"']);
    assert.deepEqual(problems({ url: '10.0.0.5:1883' }), ['mqtt.url: url must be a broker URL like mqtt://127.0.0.1:1883 or mqtts://broker.example:8883']);
    assert.deepEqual(problems({ url: 'mqtt://a:1', prefix: 'plant/#' }), ['mqtt.prefix: prefix must be topic levels without "+", "#", spaces or empty levels, like "plant1/bifrost"']);
    assert.deepEqual(problems({ url: 'mqtt://a:1', deadband: -1 }), ['mqtt.deadband: deadband must be at least 0']);
    assert.deepEqual(problems({ url: 'mqtt://a:1', tls: { cert: 'c.pem' } }), ['mqtt.tls.key: a client certificate needs both "cert" and "key"']);
  });

  it('keeps passwords out of the file: no password field, no credentials in the URL', () => {
    assert.deepEqual(problems({ url: 'mqtt://a:1', password: 'secret' }), ['mqtt: unknown field "password" (did you mean "passwordEnv"?)']);
    assert.match(problems({ url: 'mqtt://edge:secret@a:1' })[0], /^mqtt\.url: url must not hold a user or password: put the user in "username" and the password in the environment variable "passwordEnv" names$/);
    assert.deepEqual(problems({ url: 'mqtt://a:1', passwordEnv: 'my password' }), ['mqtt.passwordEnv: passwordEnv must be the name of an environment variable, like MQTT_PASSWORD']);
  });

  it('Sparkplug B needs its group and edge node ids, each one topic level', () => {
    assert.deepEqual(problems({ url: 'mqtt://a:1', format: 'sparkplugb' }), [
      'mqtt.group: format "sparkplugb" needs "group" (the Sparkplug group id)',
      'mqtt.node: format "sparkplugb" needs "node" (the Sparkplug edge node id)',
    ]);
    assert.deepEqual(problems({ url: 'mqtt://a:1', format: 'sparkplugb', group: 'Plant/1', node: 'edge' }), ['mqtt.group: group must be one topic level without "+", "#", "/" or spaces']);
  });

  it('is in the JSON schema the editor checks bifrost.json with', () => {
    const schema = bifrostJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    assert.ok(schema.properties.mqtt?.properties?.passwordEnv, JSON.stringify(Object.keys(schema.properties)));
  });
});

import assert from 'node:assert/strict';
import { z } from 'zod';
import { Device, formatPath, parseConfig, TcpTransport } from '../../../gateway/api/config';
import { hostProblem } from '../../../gateway/api/hostName';
import { intIn, plainIssues, plainIssueText } from '../../../gateway/api/plainIssues';
import { ProxyDefinition } from '../../../gateway/api/proxyConfig';

const words = (schema: z.ZodType, value: unknown): string => {
  const result = schema.safeParse(value);
  assert.ok(!result.success, 'expected a refusal');
  return plainIssues(result.error.issues, formatPath);
};

/** Phrases of the validation library that must never reach a user. */
const LIBRARY_PHRASING = /Too (big|small)|Invalid (input|option)|expected number to be|Unrecognized key|<=|>=/;

describe('validation problems in plain words', () => {
  const schema = z
    .object({ port: intIn(1, 65535), pollMs: z.number().int().min(10).max(3_600_000), kind: z.enum(['tcp', 'rtu']), name: z.string().min(1), list: z.array(z.number()) })
    .strict();

  it('says what a field must be, by its name', () => {
    assert.equal(words(schema.shape.port, 70000), 'value must be 1–65535');
    assert.equal(
      words(schema, { port: 70000, pollMs: 5, kind: 'udp', name: '', list: [1, 'x'], colour: 'red' }),
      'port must be 1–65535; pollMs must be at least 10; kind must be one of "tcp", "rtu"; name must not be empty; list[1]: value must be a number, not text; unknown field "colour"',
    );
    assert.equal(words(schema, { port: 1.5, pollMs: 'fast', kind: 'tcp', name: 'x' }), 'port must be 1–65535; pollMs must be a number, not text; list is missing (expected a list)');
  });

  it('says a count must be whole, not that a fraction is "a number"', () => {
    assert.equal(words(z.object({ bufferLimit: z.number().int().min(1) }), { bufferLimit: 2.5 }), 'bufferLimit must be a whole number');
    const refused = z.number().int().safeParse(2.5, { reportInput: true });
    assert.ok(!refused.success);
    assert.equal(plainIssueText(refused.error.issues[0], undefined, 'bufferLimit'), 'bufferLimit must be a whole number, not 2.5');
  });

  it('words every problem of a bad bifrost.json without the library phrasing, at its JSON path', () => {
    const result = parseConfig({
      version: 1,
      devices: [{ name: 'PLC', transport: { kind: 'tcp', host: 'plc 1', port: 70000 }, pollMs: 5, colour: 'red', tags: [{ name: 't', address: 'HR:1', type: 'uint17' }] }],
    });
    assert.ok(!result.ok);
    for (const problem of result.problems) assert.doesNotMatch(problem.message, LIBRARY_PHRASING, problem.message);
    const byPath = Object.fromEntries(result.problems.map((problem) => [problem.path, problem.message]));
    assert.equal(byPath['devices[0].transport.port'], 'port must be 1–65535');
    assert.equal(byPath['devices[0].transport.host'], 'host must be a host name or IP address without spaces, not "plc 1"');
    assert.equal(byPath['devices[0].pollMs'], 'pollMs must be at least 10');
    assert.equal(byPath['devices[0]'], 'unknown field "colour"');
    assert.match(byPath['devices[0].tags[0].type'], /^type must be one of "bool", /);
  });

  it('refuses a host that is not a host, and only that', () => {
    for (const good of ['192.168.1.20', '10.0.0.5', 'plc-3.local', 'localhost', 'PLC3', 'fe80::1', '::1', '[::1]', '::ffff:10.0.0.1', '2001:db8::8a2e:370:7334', 'fe80::1%eth0', 'plant.example.com.']) {
      assert.equal(hostProblem(good), undefined, good);
    }
    assert.equal(hostProblem(''), 'must not be empty');
    assert.equal(hostProblem(' 10.0.0.5'), 'must not start or end with spaces');
    assert.equal(hostProblem('10.0.0.300'), 'must be an IP address with four numbers 0–255 (like 192.168.1.20), not "10.0.0.300"');
    assert.equal(hostProblem('10.0.0'), 'must be an IP address with four numbers 0–255 (like 192.168.1.20), not "10.0.0"');
    assert.equal(hostProblem('http://10.0.0.5/'), 'must be a host, not a URL: write "10.0.0.5"');
    assert.equal(hostProblem('10.0.0.5:502'), 'must be the host alone; the port goes in its own field (10.0.0.5 and 502)');
    assert.equal(hostProblem('my plc'), 'must be a host name or IP address without spaces, not "my plc"');
    assert.match(hostProblem('plc_3!')!, /^must be a host name or IP address \(like/);
    assert.ok(hostProblem('1:2:3:4:5:6:7:8:9'));
    assert.ok(hostProblem('fe80::1::2'));
  });

  it('an input box names the field it asks for: what Add Device shows under a bad port, unit id or host', () => {
    const issue = (schema: z.ZodType, value: unknown) => {
      const result = schema.safeParse(value);
      assert.ok(!result.success);
      return result.error.issues[0];
    };
    assert.equal(plainIssueText(issue(TcpTransport.shape.port, 70000), 70000, 'TCP port'), 'TCP port must be 1–65535');
    assert.equal(plainIssueText(issue(Device.shape.unitId, 300), 300, 'Unit id'), 'Unit id must be 0–255');
    assert.equal(plainIssueText(issue(TcpTransport.shape.host, 'http://10.0.0.5'), 'http://10.0.0.5', 'host'), 'host must be a host, not a URL: write "10.0.0.5"');
    assert.equal(plainIssueText(issue(Device.shape.pollMs, 5), 5, 'Poll rate (ms)'), 'Poll rate (ms) must be at least 10');
  });

  it('a proxy listen address is checked the same way', () => {
    const result = ProxyDefinition.safeParse({ name: 'p', device: 'PLC', listen: { host: '127.0.0.1:5020', port: 70000 } });
    assert.ok(!result.success);
    assert.equal(
      plainIssues(result.error.issues, formatPath),
      'listen: host must be the host alone; the port goes in its own field (127.0.0.1 and 5020); listen: port must be 0–65535',
    );
  });
});

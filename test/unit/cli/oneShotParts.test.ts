import assert from 'node:assert/strict';
import { parseCommandLine } from '../../../gateway/cli/args';
import { checkConfigText } from '../../../gateway/cli/configCheck';
import { parseEndpoint } from '../../../gateway/cli/endpointTarget';
import { textTable } from '../../../gateway/cli/textTable';
import { UsageError } from '../../../gateway/cli/usageError';
import { parseValueTarget } from '../../../gateway/cli/valueTarget';

describe('CLI one-shot commands: the parts without a device', () => {
  const spec = { type: { type: 'string' }, unit: { type: 'string' }, json: { type: 'boolean' } } as const;

  describe('parseCommandLine', () => {
    it('takes positionals and flags in any order, and a negative VALUE as a value', () => {
      const parsed = parseCommandLine('write', ['tcp://h', '--type', 'int16', 'HR:0', '-12', '--json'], spec, ['URL', 'ADDRESS', 'VALUE']);
      assert.deepEqual(parsed.positionals, ['tcp://h', 'HR:0', '-12']);
      assert.deepEqual(parsed.flags, { type: 'int16', json: true });
      assert.deepEqual(parseCommandLine('write', ['u', 'HR:0', '-1.5e3'], spec, ['URL', 'ADDRESS', 'VALUE']).positionals, ['u', 'HR:0', '-1.5e3']);
    });

    it('keeps a negative number that is the value of a flag with it', () => {
      const parsed = parseCommandLine('read', ['u', 'HR:0', '--unit', '-1'], spec, ['URL', 'ADDRESS']);
      assert.equal(parsed.flags.unit, '-1');
      assert.deepEqual(parsed.positionals, ['u', 'HR:0']);
    });

    it('names an argument too many and an unknown option', () => {
      assert.throws(() => parseCommandLine('read', ['u', 'HR:0', 'x'], spec, ['URL', 'ADDRESS']), /unexpected argument "x": read takes URL ADDRESS and options/);
      assert.throws(
        () => parseCommandLine('read', ['--typo'], spec, ['URL']),
        (error: unknown) => error instanceof UsageError && error.command === 'read' && /unknown option '--typo'/.test(error.message),
      );
    });
  });

  describe('parseEndpoint and parseValueTarget', () => {
    it('reads a URL as proxy --upstream does, with --unit and --timeout', () => {
      assert.deepEqual(parseEndpoint('read', 'tcp://10.0.0.5', { unit: '7', timeout: '250' }), {
        transport: { kind: 'tcp', host: '10.0.0.5', port: 502 },
        unitId: 7,
        timeoutMs: 250,
      });
      const rtu = parseEndpoint('read', 'rtu:///dev/ttyUSB0?baud=19200&parity=none', {});
      assert.deepEqual(rtu.transport, { kind: 'rtu', path: '/dev/ttyUSB0', baudRate: 19200, parity: 'none', stopBits: 1, dataBits: 8 });
      assert.throws(() => parseEndpoint('read', 'rtutcp://h', {}), (error: unknown) => error instanceof UsageError && error.command === 'read' && /URL "rtutcp:\/\/h": rtutcp needs a port/.test(error.message));
    });

    it('resolves an address like a tag: bits are bool by default, Modicon is one-based, types and orders are checked', () => {
      assert.deepEqual(
        { ...parseValueTarget('read', '40101', { type: 'float32', order: 'cdab' }) },
        { name: '40101', address: '40101', table: 'holdingRegister', offset: 100, width: 2, type: 'float32', order: 'CDAB', scale: 1, valueOffset: 0 },
      );
      assert.equal(parseValueTarget('read', 'HR:10.3', {}).type, 'bool');
      assert.equal(parseValueTarget('read', 'CO:1', {}).type, 'bool');
      assert.equal(parseValueTarget('read', 'HR:1', { type: 'string', length: '4' }).width, 4);
      assert.throws(() => parseValueTarget('read', 'HR:1', { type: 'string' }), /a "string" tag needs "length", in registers/);
      assert.throws(() => parseValueTarget('read', 'HR:1', { order: 'ABDC' }), /--order must be one of "ABCD", "CDAB", "BADC", "DCBA"/);
      assert.throws(() => parseValueTarget('read', 'HR:65535', { type: 'float32' }), /float32 at HR:65535 needs 2 registers and runs past 65535/);
    });
  });

  it('textTable aligns columns with two spaces and leaves no trailing blanks', () => {
    assert.equal(textTable(['address', 'hex'], [['HR:0', '0x0001'], ['HR:100', '']]), 'address  hex\nHR:0     0x0001\nHR:100\n');
  });

  describe('checkConfigText', () => {
    it('locates each problem by path, one-based line and column', () => {
      const text = '{\n  "devices": [\n    { "name": "a", "transport": { "kind": "tcp", "host": "h", "port": 0 } }\n  ]\n}\n';
      assert.deepEqual(checkConfigText(text).problems, [{ path: 'devices[0].transport.port', line: 3, column: 71, message: 'port must be 1–65535' }]);
    });

    it('reports a tag that fails to resolve beside the schema problems of the rest of the file, in line order', () => {
      const text = [
        '{',
        '  "devices": [',
        '    { "name": "a", "transport": { "kind": "tcp", "host": "h" }, "addressBase": 1,',
        '      "tags": [{ "name": "t", "address": "HR:0" }] },',
        '    { "name": "b", "transport": { "kind": "tcp", "host": "h", "port": 0 } }',
        '  ]',
        '}',
      ].join('\n');
      assert.deepEqual(
        checkConfigText(text).problems.map((problem) => [problem.line, problem.path]),
        [
          [4, 'devices[0].tags[0].address'],
          [5, 'devices[1].transport.port'],
        ],
      );
    });

    it('reports broken JSON at the syntax error, and passes a valid config through', () => {
      const broken = checkConfigText('{\n  "devices": [,]\n}');
      assert.equal(broken.problems.length, 1);
      assert.equal(broken.problems[0].line, 2);
      assert.match(broken.problems[0].message, /^not valid JSON/);
      const valid = checkConfigText('{"devices": []}');
      assert.deepEqual(valid.problems, []);
      assert.ok(valid.config);
    });
  });
});

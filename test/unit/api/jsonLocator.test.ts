import * as assert from 'node:assert/strict';
import { LineIndex, locateJsonPath, parsePath } from '../../../gateway/api/jsonLocator';
import { parseConfigText } from '../../../gateway/api';

/** The text a range covers, for readable assertions. */
function covered(text: string, path: string, message = ''): string {
  const { start, end } = locateJsonPath(text, path, message);
  const lines = text.split('\n');
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return `${lines[start.line].slice(start.character)}…`;
}

const TEXT = `{
  "version": 1,
  "devices": [
    {
      "name": "PLC",
      "transport": { "kind": "tcp", "host": "10.0.0.5" },
      "pollMs": 5,
      "tags": [
        { "name": "t", "address": "XX:1" }
      ],
      "colour": "red"
    }
  ]
}
`;

describe('gateway/api/jsonLocator', () => {
  it('splits the contract path text into segments', () => {
    assert.deepEqual(parsePath('devices[0].tags[12].address'), ['devices', 0, 'tags', 12, 'address']);
    assert.deepEqual(parsePath(''), []);
    assert.deepEqual(parsePath('version'), ['version']);
  });

  it('maps offsets to lines and characters', () => {
    const index = new LineIndex('ab\ncd\r\nef');
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(4), { line: 1, character: 1 });
    assert.deepEqual(index.positionAt(7), { line: 2, character: 0 });
    assert.deepEqual(index.positionAt(100), { line: 2, character: 2 });
  });

  it('underlines the value a schema problem is about', () => {
    assert.equal(covered(TEXT, 'devices[0].pollMs'), '5');
    assert.equal(covered(TEXT, 'devices[0].tags[0].address'), '"XX:1"');
    assert.deepEqual(locateJsonPath(TEXT, 'devices[0].pollMs').start, { line: 6, character: 16 });
  });

  it('underlines the property name for an object or array, not many lines', () => {
    assert.equal(covered(TEXT, 'devices[0].transport'), '"transport"');
    assert.equal(covered(TEXT, 'devices'), '"devices"');
    assert.equal(covered(TEXT, 'devices[0]'), '{');
  });

  it('falls back to the nearest ancestor for a missing key', () => {
    assert.equal(covered(TEXT, 'devices[0].transport.port'), '"transport"');
    assert.equal(covered(TEXT, 'devices[3].name'), '"devices"');
  });

  it('underlines an unknown key by name', () => {
    assert.equal(covered(TEXT, 'devices[0]', 'Unrecognized keys: "colour"'), '"colour"');
    assert.equal(covered(TEXT, 'devices[0]', 'unknown field "colour"'), '"colour"');
  });

  it('places every problem the contract reports for a real file', () => {
    const result = parseConfigText(TEXT);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const spots = result.problems.map((problem) => covered(TEXT, problem.path, problem.message));
    assert.ok(spots.includes('5'), spots.join(', '));
    assert.ok(spots.includes('"XX:1"'), spots.join(', '));
    assert.ok(spots.includes('"colour"'), spots.join(', '));
  });

  it('points at the first syntax error', () => {
    const broken = '{\n  "version": 1,\n  "devices": [,]\n}';
    const range = locateJsonPath(broken, '');
    assert.equal(range.start.line, 2);
  });
});

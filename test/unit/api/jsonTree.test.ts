import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findJsonNode, parseJsonTree, type JsonNode } from '../../../gateway/api/jsonTree';

/** Every path to a value in a parsed JSON value, with the value there. */
function pathsOf(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  const here: [(string | number)[], unknown][] = [[path, value]];
  if (Array.isArray(value)) return here.concat(...value.map((item, index) => pathsOf(item, [...path, index])));
  if (value !== null && typeof value === 'object') return here.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...path, key])));
  return here;
}

function textOf(text: string, node: JsonNode): string {
  return text.slice(node.offset, node.offset + node.length);
}

describe('gateway/api/jsonTree', () => {
  it('finds every value of any JSON document at its exact offsets', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const tree = parseJsonTree(text);
        assert.ok(tree.root, tree.error?.message);
        // The last of duplicate keys wins in JSON.parse; fast-check's objects have unique keys.
        for (const [path, expected] of pathsOf(JSON.parse(text))) {
          const node = findJsonNode(tree.root, path);
          assert.ok(node, `no node at ${JSON.stringify(path)}`);
          assert.deepEqual(JSON.parse(textOf(text, node)), expected);
        }
      }),
    );
  });

  it('accepts exactly what JSON.parse accepts', () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]:,"\\a-z0-9.eE+-]{0,24}$/);
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 24 })), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        assert.equal(parseJsonTree(text).error === undefined, valid, JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('names where the text stops being JSON and what was expected', () => {
    assert.deepEqual(parseJsonTree('{"a": 1,}').error, {
      offset: 8,
      length: 1,
      message: 'expected another property after the comma (JSON allows no trailing comma), found "}"',
    });
    assert.equal(parseJsonTree('{"a": 1 // note\n}').error?.offset, 8);
    assert.deepEqual(parseJsonTree('[1, 2').error, { offset: 5, length: 0, message: 'expected a comma or ], found the end of the text' });
    assert.equal(parseJsonTree('{"a": "x\\q"}').error?.message, 'expected an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits), found "\\"');
  });

  it('links a value to its property and the property to its key', () => {
    const text = '{ "devices": [ { "name": "PLC" } ] }';
    const { root } = parseJsonTree(text);
    assert.ok(root);
    const name = findJsonNode(root, ['devices', 0, 'name']);
    assert.ok(name);
    assert.equal(textOf(text, name), '"PLC"');
    assert.equal(name.parent?.type, 'property');
    assert.equal(textOf(text, name.parent.children![0]), '"name"');
    assert.equal(findJsonNode(root, ['devices', 1]), undefined);
    assert.equal(findJsonNode(root, ['devices', 'name']), undefined);
  });

  it('reads past a byte order mark', () => {
    assert.equal(parseJsonTree('\ufeff{"version": 1}').root?.type, 'object');
  });
});

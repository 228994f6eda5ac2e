import assert from 'node:assert/strict';
import { parseConfigText } from '../../../gateway/api/config';
import { addRegisterViewEdits, addTagsEdits, removeTagEdits, replaceTagEdits, tagNamesInText } from '../../../extension/tags/tagEdits';
import type { EditResult } from '../../../extension/config/configEdits';

function apply(text: string, result: EditResult): string {
  assert.ok(result.ok, result.ok ? '' : result.error);
  let out = text;
  for (const edit of [...result.edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, edit.offset) + edit.content + out.slice(edit.offset + edit.length);
  return out;
}

const FILE = `{
  "version": 1,
  "devices": [
    { "name": "other", "transport": { "kind": "tcp", "host": "10.0.0.1" } },
    {
      "name": "meter",
      "transport": { "kind": "tcp", "host": "127.0.0.1", "port": 5020 },
      "tags": []
    }
  ]
}
`;

describe('tag edits to bifrost.json', () => {
  it('adds tags to the named device only, and the file stays valid', () => {
    const once = apply(FILE, addTagsEdits(FILE, 'meter', [{ name: 'voltage', address: 'HR:20', type: 'float32', order: 'CDAB' }]));
    const twice = apply(once, addTagsEdits(once, 'meter', [{ name: 'a', address: 'HR:1' }, { name: 'b', address: 'HR:2', type: 'int16' }]));
    assert.deepEqual(tagNamesInText(twice, 'meter'), ['voltage', 'a', 'b']);
    assert.deepEqual(tagNamesInText(twice, 'other'), []);
    assert.ok(parseConfigText(twice).ok);
    assert.ok(twice.includes('{ "name": "other", "transport": { "kind": "tcp", "host": "10.0.0.1" } }'), 'the untouched device keeps its layout');
  });

  it('refuses a duplicate name and an unknown device in plain words', () => {
    const withTag = apply(FILE, addTagsEdits(FILE, 'meter', [{ name: 'voltage', address: 'HR:20' }]));
    const dup = addTagsEdits(withTag, 'meter', [{ name: 'voltage', address: 'HR:21' }]);
    assert.deepEqual(dup, { ok: false, error: 'meter already has a tag named "voltage"' });
    assert.equal((addTagsEdits(FILE, 'nope', []) as { error: string }).error, 'no device named "nope" in bifrost.json');
  });

  it('replaces and removes one tag, keeping the others', () => {
    let text = apply(FILE, addTagsEdits(FILE, 'meter', [{ name: 'a', address: 'HR:1' }, { name: 'b', address: 'HR:2' }]));
    text = apply(text, replaceTagEdits(text, 'meter', 'a', { name: 'a2', address: 'HR:10', type: 'int16', scale: 0.1 }));
    assert.deepEqual(tagNamesInText(text, 'meter'), ['a2', 'b']);
    text = apply(text, removeTagEdits(text, 'meter', 'b'));
    assert.deepEqual(tagNamesInText(text, 'meter'), ['a2']);
    const parsed = parseConfigText(text);
    assert.ok(parsed.ok);
    if (parsed.ok) assert.equal(parsed.config.devices[1].tags[0].scale, 0.1);
  });

  it('appends a saved view and refuses its name twice', () => {
    const view = { name: 'meter HR', device: 'meter', table: 'holdingRegister' as const, start: 0, count: 10 };
    const text = apply(FILE, addRegisterViewEdits(FILE, view));
    assert.ok(parseConfigText(text).ok);
    assert.equal(addRegisterViewEdits(text, view).ok, false);
  });
});

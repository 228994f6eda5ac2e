import * as assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser';
import {
  addDeviceEdits,
  configFileText,
  detectFormatting,
  deviceNamesInText,
  removeDeviceEdits,
} from '../../../extension/config/configEdits';
import { demoConfig, parseConfigText, type DeviceInput } from '../../../gateway/api';

const device: DeviceInput = { name: 'PLC', transport: { kind: 'tcp', host: '10.0.0.5', port: 502 }, unitId: 1, pollMs: 1000, tags: [] };

function apply(text: string, result: ReturnType<typeof addDeviceEdits>): string {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return applyEdits(text, result.ok ? result.edits : []);
}

describe('extension/config/configEdits', () => {
  it('writes the demo config as a valid file', () => {
    const text = configFileText(demoConfig());
    assert.ok(text.endsWith('}\n'));
    assert.equal(parseConfigText(text).ok, true);
  });

  it('appends a device and keeps what the user wrote', () => {
    // Four-space indentation, an unusual key order and a compact tag line: all kept.
    const before = [
      '{',
      '    "devices": [',
      '        {',
      '            "transport": { "kind": "demo" },',
      '            "name": "A",',
      '            "tags": [ { "name": "t", "address": "HR:0" } ]',
      '        }',
      '    ],',
      '    "version": 1',
      '}',
      '',
    ].join('\n');
    const out = apply(before, addDeviceEdits(before, device));
    assert.ok(out.startsWith(before.slice(0, before.indexOf('        }\n') + 9)), out);
    assert.ok(out.includes('\n        {\n            "name": "PLC",\n'), out);
    assert.ok(out.endsWith('    ],\n    "version": 1\n}\n'), out);
    const parsed = parseConfigText(out);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.ok && parsed.config.devices.map((d) => d.name), ['A', 'PLC']);
  });

  it('leaves devices written on one line alone, adding and removing', () => {
    const line = (name: string): string => `        { "name": "${name}", "transport": { "kind": "demo" } }`;
    const text = ['{', '    "version": 1,', '    "devices": [', `${line('A')},`, `${line('B')},`, line('C'), '    ]', '}', ''].join('\n');
    const added = apply(text, addDeviceEdits(text, { name: 'D', transport: { kind: 'demo' } }));
    assert.ok(added.startsWith(['{', '    "version": 1,', '    "devices": [', `${line('A')},`, `${line('B')},`, `${line('C')},`, '        {'].join('\n')), added);
    assert.ok(added.includes('\n            "name": "D",\n'), added);
    for (const [name, expected] of [
      ['A', [line('B') + ',', line('C')]],
      ['B', [line('A') + ',', line('C')]],
      ['C', [line('A') + ',', line('B')]],
    ] as const) {
      const out = apply(text, removeDeviceEdits(text, name));
      assert.equal(out, ['{', '    "version": 1,', '    "devices": [', ...expected, '    ]', '}', ''].join('\n'));
    }
  });

  it('empties the array when the last device goes', () => {
    const text = '{ "devices": [ { "name": "A", "transport": { "kind": "demo" } } ] }';
    assert.equal(apply(text, removeDeviceEdits(text, 'A')), '{ "devices": [] }');
  });

  it('appends compactly when the devices share a line', () => {
    const text = '{ "devices": [{ "name": "A", "transport": { "kind": "demo" } }] }';
    const out = apply(text, addDeviceEdits(text, { name: 'B', transport: { kind: 'demo' } }));
    assert.equal(out, '{ "devices": [{ "name": "A", "transport": { "kind": "demo" } }, {"name":"B","transport":{"kind":"demo"}}] }');
  });

  it('creates the devices array when the file has none', () => {
    const text = '{ "version": 1 }';
    const out = apply(text, addDeviceEdits(text, device));
    assert.deepEqual(deviceNamesInText(out), ['PLC']);
  });

  it('refuses a duplicate name and a broken file', () => {
    const text = configFileText({ version: 1, devices: [device] });
    const duplicate = addDeviceEdits(text, device);
    assert.equal(duplicate.ok, false);
    assert.equal(addDeviceEdits('{ "devices": [ }', device).ok, false);
    assert.equal(addDeviceEdits('[]', device).ok, false);
  });

  it('removes a device by name and leaves the others', () => {
    const text = configFileText(demoConfig());
    const withPlc = apply(text, addDeviceEdits(text, device));
    const out = apply(withPlc, removeDeviceEdits(withPlc, 'Demo'));
    assert.deepEqual(deviceNamesInText(out), ['PLC']);
    assert.equal(parseConfigText(out).ok, true);
    assert.equal(removeDeviceEdits(out, 'nope').ok, false);
  });

  it('detects indentation', () => {
    assert.deepEqual(detectFormatting('{\n\t"a": 1\n}'), { insertSpaces: false, tabSize: 4, eol: '\n' });
    assert.deepEqual(detectFormatting('{\r\n    "a": 1\r\n}'), { insertSpaces: true, tabSize: 4, eol: '\r\n' });
    assert.deepEqual(detectFormatting('{}'), { insertSpaces: true, tabSize: 2, eol: '\n' });
  });
});

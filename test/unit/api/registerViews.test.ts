import assert from 'node:assert/strict';
import { parseConfig } from '../../../gateway/api/config';

describe('saved Registers views in bifrost.json', () => {
  const device = { name: 'meter', transport: { kind: 'tcp', host: '127.0.0.1' } };

  it('accepts a view of a device or of a typed endpoint, with row formats', () => {
    const result = parseConfig({
      devices: [device],
      registerViews: [
        { name: 'meter HR', device: 'meter', table: 'holdingRegister', start: 0, count: 200, pollMs: 500, formats: [{ address: 20, format: 'float32', order: 'CDAB' }] },
        { name: 'bench', endpoint: 'tcp://127.0.0.1:5020 #1', table: 'coil', start: 0, count: 8 },
      ],
    });
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(result.config.registerViews?.[1].pollMs, 1000);
  });

  it('names an unknown device, a duplicate name and a view with neither device nor endpoint by their paths', () => {
    const result = parseConfig({
      devices: [device],
      registerViews: [
        { name: 'a', device: 'nope', table: 'coil', start: 0, count: 1 },
        { name: 'a', device: 'meter', table: 'coil', start: 0, count: 1 },
        { name: 'b', table: 'coil', start: 0, count: 1 },
      ],
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const problems = result.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(problems.some((p) => p.startsWith('registerViews[2]') && /one of the two/.test(p)), problems.join('\n'));
    const named = parseConfig({
      devices: [device],
      registerViews: [
        { name: 'a', device: 'nope', table: 'coil', start: 0, count: 1 },
        { name: 'a', device: 'meter', table: 'coil', start: 0, count: 1 },
      ],
    });
    assert.deepEqual(named.ok ? [] : named.problems.map((p) => p.path), ['registerViews[0].device', 'registerViews[1].name']);
  });
});

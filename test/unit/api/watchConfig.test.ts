import * as assert from 'node:assert/strict';
import { addWatchListEdits } from '../../../extension/config/configEdits';
import { applyEdits } from 'jsonc-parser';
import { demoConfig, parseConfig, parseConfigText } from '../../../gateway/api';

describe('watches in bifrost.json (saved Tag Watch lists)', () => {
  it('is optional: a config without watches parses as before', () => {
    const parsed = parseConfig(demoConfig());
    assert.ok(parsed.ok);
    assert.equal(parsed.ok && parsed.config.watches, undefined);
  });

  it('accepts lists of existing device/tag pairs', () => {
    const parsed = parseConfig({ ...demoConfig(), watches: [{ name: 'Temps', tags: [{ device: 'Demo', tag: 'temperature' }, { device: 'Demo', tag: 'setpoint' }] }] });
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.deepEqual(parsed.ok && parsed.config.watches?.[0].tags.map((t) => t.tag), ['temperature', 'setpoint']);
  });

  it('reports an unknown device, an unknown tag and a duplicate name at their JSON paths', () => {
    const parsed = parseConfig({
      ...demoConfig(),
      watches: [
        { name: 'A', tags: [{ device: 'Demo', tag: 'counter' }, { device: 'Nope', tag: 'x' }] },
        { name: 'A', tags: [{ device: 'Demo', tag: 'no such tag' }] },
      ],
    });
    assert.ok(!parsed.ok);
    const problems = !parsed.ok ? parsed.problems : [];
    assert.deepEqual(
      problems.map((p) => p.path).sort(),
      ['watches[0].tags[1].device', 'watches[1].name', 'watches[1].tags[0].tag'],
    );
    assert.match(problems.find((p) => p.path === 'watches[0].tags[1].device')!.message, /no device named "Nope"/);
    assert.match(problems.find((p) => p.path === 'watches[1].tags[0].tag')!.message, /device "Demo" has no tag named "no such tag"/);
  });

  it('refuses empty lists and unknown keys', () => {
    const parsed = parseConfig({ ...demoConfig(), watches: [{ name: 'E', tags: [], colour: 'red' }] });
    assert.ok(!parsed.ok);
    assert.deepEqual((!parsed.ok ? parsed.problems : []).map((p) => p.path).sort(), ['watches[0]', 'watches[0].tags']);
  });

  it('addWatchListEdits appends a list (creating "watches"), keeps the rest, refuses a taken name', () => {
    const text = `${JSON.stringify(demoConfig(), null, 2)}\n`;
    const watch = { name: 'Setpoints', tags: [{ device: 'Demo', tag: 'setpoint' }] };
    const first = addWatchListEdits(text, watch);
    assert.ok(first.ok);
    const once = applyEdits(text, first.ok ? first.edits : []);
    assert.ok(once.startsWith(text.slice(0, text.lastIndexOf(']'))), 'the devices were rewritten');
    const parsed = parseConfigText(once);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.ok && parsed.config.watches, [watch]);
    const second = addWatchListEdits(once, { name: 'Counter', tags: [{ device: 'Demo', tag: 'counter' }] });
    assert.ok(second.ok);
    const twice = parseConfigText(applyEdits(once, second.ok ? second.edits : []));
    assert.deepEqual(twice.ok && twice.config.watches?.map((w) => w.name), ['Setpoints', 'Counter']);
    const taken = addWatchListEdits(once, watch);
    assert.deepEqual(taken, { ok: false, error: 'a watch list named "Setpoints" is already in bifrost.json' });
  });
});

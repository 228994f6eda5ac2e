import assert from 'node:assert/strict';
import { tagChoices } from '../../../gateway/engine/deviceRunner';

describe('the names a refused write to an unknown tag offers', () => {
  it('lists every name of a small device', () => {
    assert.equal(tagChoices('Speed', ['speed', 'Current']), 'one of: speed, Current');
  });

  it('offers ten names most like the one given out of thousands, and says how many more', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `t${i}`);
    names.push('Motor.Speed', 'motor.speedSetpoint');
    const text = tagChoices('motor.speed', names);
    assert.match(text, /^one of: Motor\.Speed, motor\.speedSetpoint, t0, /);
    assert.match(text, /\(and 9,?992 more\)$/);
    assert.ok(text.length < 200, text);
  });
});

import assert from 'node:assert/strict';
import { UnitHealth } from '../../../gateway/engine/unitHealth';

describe('unit health (a silent unit behind a TCP gateway)', () => {
  let clock = 0;
  const health = () => new UnitHealth(() => clock, () => 0.5);
  beforeEach(() => (clock = 0));

  it('marks a unit down after 3 misses in a row, not before; an answer in between starts over', () => {
    const units = health();
    assert.equal(units.missed(2), false);
    assert.equal(units.missed(2), false);
    units.answered(2);
    assert.equal(units.missed(2), false);
    assert.equal(units.missed(2), false);
    assert.equal(units.admit(2), 'send');
    assert.equal(units.missed(2), true);
    assert.equal(units.isDown(2), true);
    assert.equal(units.admit(1), 'send', 'other units are not affected');
  });

  it('refuses a down unit but for one probe per interval, growing while it stays silent', () => {
    const units = health();
    for (let i = 0; i < 3; i++) units.missed(2);
    assert.equal(units.admit(2), 'down');
    assert.equal(units.nextProbeInMs(2), 1000);
    clock = 1000;
    assert.equal(units.admit(2), 'probe');
    assert.equal(units.admit(2), 'down', 'one probe at a time');
    units.missed(2);
    assert.equal(units.nextProbeInMs(2), 2000, 'the interval doubles');
    clock = 3000;
    assert.equal(units.admit(2), 'probe');
    assert.equal(units.answered(2), true, 'the probe answered: it was down');
    assert.equal(units.admit(2), 'send');
    assert.equal(units.isDown(2), false);
  });

  it('lets another probe go when one was not settled by the unit (the link dropped)', () => {
    const units = health();
    for (let i = 0; i < 3; i++) units.missed(2);
    clock = 1000;
    assert.equal(units.admit(2), 'probe');
    units.probeAbandoned(2);
    assert.equal(units.admit(2), 'probe');
  });
});

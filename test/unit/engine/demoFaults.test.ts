import assert from 'node:assert/strict';
import { BifrostConfig } from '../../../gateway/api/config';
import { FaultRefusedError } from '../../../gateway/engine/demoFaults';
import { Engine, UnknownDeviceError } from '../../../gateway/engine/engine';
import { silentLogger } from '../../../gateway/engine/logger';

describe('faults on demo devices (simulator.setFault)', () => {
  let engine: Engine;

  beforeEach(async () => {
    engine = new Engine({ logger: silentLogger });
    await engine.apply(
      BifrostConfig.parse({
        version: 1,
        devices: [
          { name: 'Sim', transport: { kind: 'demo' }, unitId: 3, enabled: false, tags: [] },
          { name: 'Plc', transport: { kind: 'tcp', host: '127.0.0.1', port: 1 }, enabled: false, tags: [] },
        ],
      }),
    );
  });
  afterEach(() => engine.close());

  it('sets a fault on the demo device’s unit id, lists it, and clears it', () => {
    assert.deepEqual(engine.demoFaults.set('Sim', { kind: 'drop', everyNth: 2 }), [
      { target: 'Sim', unitId: 3, fault: { kind: 'drop', everyNth: 2 }, injected: 0, requests: 0 },
    ]);
    assert.equal(engine.demoFaults.states().length, 1);
    assert.deepEqual(engine.demoFaults.set('Sim', null), []);
  });

  it('refuses a device that is not simulated, a kind TCP cannot carry, and an unknown name, saying which', () => {
    assert.throws(
      () => engine.demoFaults.set('Plc', { kind: 'drop' }),
      (error: unknown) => error instanceof FaultRefusedError && /"Plc" is a tcp device: faults can only be injected into simulated devices/.test(error.message),
    );
    assert.throws(
      () => engine.demoFaults.set('Sim', { kind: 'badChecksum' }),
      (error: unknown) => error instanceof FaultRefusedError && /"badChecksum" needs a serial framing \(RTU or ASCII\); "Sim" speaks Modbus TCP/.test(error.message),
    );
    assert.throws(() => engine.demoFaults.set('Nobody', { kind: 'drop' }), UnknownDeviceError);
  });
});

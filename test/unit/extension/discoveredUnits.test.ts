import * as assert from 'node:assert/strict';
import { Device, type DiscoveredUnit } from '../../../gateway/api';
import {
  describeUnit,
  deviceNameFor,
  devicesFor,
  DiscoveredUnits,
  identificationText,
  transportLabel,
} from '../../../extension/discovery/discoveredUnits';
import { defaultUnitRange, formatUnitRange, parseUnitRange } from '../../../extension/discovery/unitRange';

const identified: DiscoveredUnit = {
  unitId: 5,
  answers: ['answers FC 3', 'identification (43/14)', 'server id (17)'],
  identification: {
    vendorName: 'Schneider Electric',
    productCode: 'TM221CE24R',
    revision: '1.3',
    objects: [{ id: 0, name: 'VendorName', value: 'Schneider Electric' }],
  },
  serverId: { id: 42, running: true, dataHex: '' },
};
const bare: DiscoveredUnit = { unitId: 2, answers: ['answers FC 3 (exception 2: illegal data address)'] };
const serial = { kind: 'rtu' as const, path: '/dev/ttyUSB0', baudRate: 19200, parity: 'none' as const, stopBits: 2 as const };

describe('extension/discovery/discoveredUnits', () => {
  it('describes a unit by identification and server id, else by what it answered', () => {
    assert.equal(identificationText(identified), 'Schneider Electric TM221CE24R v1.3');
    assert.equal(describeUnit(identified), 'Schneider Electric TM221CE24R v1.3 · server id 42');
    assert.equal(describeUnit(bare), 'answers FC 3 (exception 2: illegal data address)');
    assert.equal(describeUnit({ ...bare, serverId: { id: 7, running: false, dataHex: '00' } }), 'server id 7 (stopped)');
  });

  it('labels where a scan looked', () => {
    assert.equal(transportLabel({ kind: 'tcp', host: '10.0.0.5' }), 'tcp://10.0.0.5:502');
    assert.equal(transportLabel({ kind: 'rtutcp', host: 'gw', port: 4001 }), 'rtutcp://gw:4001');
    assert.equal(transportLabel(serial), 'rtu:///dev/ttyUSB0@19200 none');
    assert.equal(transportLabel({ kind: 'demo' }), 'demo');
  });

  it('names a device from its product code, uniquely, in a form the config accepts', () => {
    assert.equal(deviceNameFor(identified, new Set()), 'TM221CE24R unit 5');
    assert.equal(deviceNameFor(bare, new Set()), 'Unit 2');
    assert.equal(deviceNameFor(bare, new Set(['Unit 2', 'Unit 2 2'])), 'Unit 2 3');
    const odd: DiscoveredUnit = { unitId: 9, answers: [], identification: { productCode: '#Ünïcode/PLC*', objects: [] } };
    const name = deviceNameFor(odd, new Set());
    assert.ok(Device.shape.name.safeParse(name).success, name);
    const long: DiscoveredUnit = { unitId: 247, answers: [], identification: { productCode: 'X'.repeat(100), objects: [] } };
    assert.ok(Device.shape.name.safeParse(deviceNameFor(long, new Set())).success);
  });

  it('makes valid devices for several units, unique among themselves and the file', () => {
    const results = new DiscoveredUnits();
    const found = results.replaceScan(serial, [bare, { ...bare, unitId: 3 }]);
    const devices = devicesFor(found, ['Unit 2']);
    assert.deepEqual(
      devices.map((device) => device.name),
      ['Unit 2 2', 'Unit 3'],
    );
    for (const device of devices) assert.ok(Device.safeParse(device).success, JSON.stringify(device));
    assert.deepEqual(devices[1].transport, serial);
    assert.equal(devices[1].unitId, 3);
  });

  it('keeps the last scan of each link, and removes and clears with a change event each', () => {
    const results = new DiscoveredUnits();
    let changes = 0;
    results.onDidChange(() => changes++);
    results.replaceScan({ kind: 'tcp', host: 'a', port: 502 }, [identified]);
    results.replaceScan(serial, [bare]);
    // The same port at another baud rate is the same link: the rescan replaces it.
    results.replaceScan({ ...serial, baudRate: 9600 }, [bare, { ...bare, unitId: 4 }]);
    assert.deepEqual(
      results.all().map((entry) => entry.key),
      ['tcp://a:502#5', 'rtu:///dev/ttyUSB0#2', 'rtu:///dev/ttyUSB0#4'],
    );
    results.remove(['rtu:///dev/ttyUSB0#2']);
    assert.equal(results.size, 2);
    results.remove(['nothing']);
    results.clear();
    results.clear();
    assert.equal(results.size, 0);
    assert.equal(changes, 5);
  });
});

describe('extension/discovery/unitRange', () => {
  it('reads the ways people write a range', () => {
    assert.deepEqual(parseUnitRange('1-247'), { ok: true, range: { from: 1, to: 247 } });
    assert.deepEqual(parseUnitRange(' 1 – 10 '), { ok: true, range: { from: 1, to: 10 } });
    assert.deepEqual(parseUnitRange('5'), { ok: true, range: { from: 5, to: 5 } });
    assert.deepEqual(parseUnitRange('3 to 9'), { ok: true, range: { from: 3, to: 9 } });
  });

  it('refuses what is no range, naming the problem', () => {
    assert.match((parseUnitRange('a-b') as { error: string }).error, /range of unit ids/);
    assert.match((parseUnitRange('1-300') as { error: string }).error, /0 to 255/);
    assert.match((parseUnitRange('9-3') as { error: string }).error, /starts above its end \(9 > 3\)/);
  });

  it('scans a whole serial bus by default and a few ids over TCP', () => {
    assert.equal(formatUnitRange(defaultUnitRange('rtu')), '1-247');
    assert.equal(formatUnitRange(defaultUnitRange('rtutcp')), '1-247');
    assert.equal(formatUnitRange(defaultUnitRange('tcp')), '1-10');
    assert.equal(formatUnitRange({ from: 4, to: 4 }), '4');
  });
});

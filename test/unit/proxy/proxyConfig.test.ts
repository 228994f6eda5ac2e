import assert from 'node:assert/strict';
import { parseConfig } from '../../../gateway/api/config';
import { allowedFunctionSet } from '../../../gateway/api/proxyConfig';
import { parseUpstream } from '../../../gateway/cli/upstreamUrl';

const device = { name: 'PLC', transport: { kind: 'tcp', host: '127.0.0.1', port: 502 } };

describe('proxies in bifrost.json', () => {
  it('fills defaults: 127.0.0.1, pass-through units, all functions, 32 clients', () => {
    const parsed = parseConfig({ devices: [device], proxies: [{ name: 'p', listen: { port: 5020 }, device: 'PLC' }] });
    assert.ok(parsed.ok);
    const [proxy] = parsed.config.proxies;
    assert.deepEqual(proxy.listen, { host: '127.0.0.1', port: 5020 });
    assert.equal(proxy.unmappedUnits, 'passThrough');
    assert.equal(proxy.allowedFunctions, 'all');
    assert.equal(proxy.maxClients, 32);
    assert.equal(proxy.autoStart, false);
  });

  it('a config without proxies still parses (the field is additive)', () => {
    const parsed = parseConfig({ devices: [device] });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.config.proxies, []);
  });

  it('names the JSON path of an unknown upstream device, a bad CIDR and a duplicate address', () => {
    const parsed = parseConfig({
      devices: [device],
      proxies: [
        { name: 'a', listen: { port: 5020 }, device: 'Nope' },
        { name: 'b', listen: { port: 5020 }, device: 'PLC', allow: ['10.0.0.0/33'] },
      ],
    });
    assert.ok(!parsed.ok);
    const byPath = Object.fromEntries(parsed.problems.map((problem) => [problem.path, problem.message]));
    assert.match(byPath['proxies[0].device'], /no device named "Nope" \(devices: "PLC"\)/);
    assert.match(byPath['proxies[1].allow[0]'], /prefix length must be 0\.\.32/);
    assert.match(byPath['proxies[1].listen.port'], /127\.0\.0\.1:5020 is already the address of proxies\[0\]/);
  });

  it('the read-only preset is the read, diagnostic and identification codes', () => {
    assert.deepEqual([...allowedFunctionSet('read-only')!], [1, 2, 3, 4, 7, 8, 11, 17, 43]);
    assert.equal(allowedFunctionSet('all'), undefined);
  });
});

describe('proxy --upstream URLs', () => {
  it('reads tcp, rtutcp, rtu and ascii URLs', () => {
    assert.deepEqual(parseUpstream('tcp://10.0.0.5'), { kind: 'tcp', host: '10.0.0.5', port: 502 });
    assert.deepEqual(parseUpstream('rtutcp://gw:4001'), { kind: 'rtutcp', host: 'gw', port: 4001 });
    assert.deepEqual(parseUpstream('rtu:///dev/ttyUSB0?baud=19200&parity=none'), {
      kind: 'rtu', path: '/dev/ttyUSB0', baudRate: 19200, parity: 'none', stopBits: 1, dataBits: 8,
    });
    assert.throws(() => parseUpstream('rtutcp://gw'), /rtutcp needs a port/);
    assert.throws(() => parseUpstream('udp://x:1'), /unknown scheme "udp"/);
    assert.throws(() => parseUpstream('rtu:///dev/x?speed=1'), /unknown setting "speed"/);
  });
});

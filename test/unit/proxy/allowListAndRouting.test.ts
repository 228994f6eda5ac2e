import assert from 'node:assert/strict';
import { ClientAllowList } from '../../../gateway/proxy/clientAllowList';
import { unitRouter } from '../../../gateway/proxy/unitRouting';
import { LatencyWindow } from '../../../gateway/proxy/latencyWindow';
import { ReadCache } from '../../../gateway/proxy/readCache';

describe('ClientAllowList', () => {
  it('lets everyone in without a list, and denies by default once a list is set', () => {
    assert.equal(new ClientAllowList(undefined).allows('10.1.2.3'), true);
    assert.equal(new ClientAllowList([]).allows('127.0.0.1'), false);
    const list = new ClientAllowList(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    assert.equal(list.allows('127.0.0.1'), true);
    assert.equal(list.allows('::ffff:127.0.0.1'), true, 'IPv4-mapped addresses of a dual-stack server');
    assert.equal(list.allows('10.200.1.1'), true);
    assert.equal(list.allows('11.0.0.1'), false);
    assert.equal(list.allows('fd12::1'), true);
    assert.equal(list.allows('::1'), false);
  });
});

describe('unitRouter', () => {
  it('maps first, then passes through, sends to the device unit, or refuses', () => {
    const map = { '1': 17 };
    assert.equal(unitRouter({ unitMap: map, unmappedUnits: 'passThrough' }, 5)(1), 17);
    assert.equal(unitRouter({ unitMap: map, unmappedUnits: 'passThrough' }, 5)(3), 3);
    assert.equal(unitRouter({ unitMap: map, unmappedUnits: 'device' }, 5)(3), 5);
    assert.equal(unitRouter({ unitMap: map, unmappedUnits: 'reject' }, 5)(3), undefined);
  });
});

describe('LatencyWindow and ReadCache', () => {
  it('reports percentiles of the recent samples, null before any', () => {
    const window = new LatencyWindow(100);
    assert.deepEqual(window.percentiles(), { p50: null, p95: null, p99: null });
    for (let i = 1; i <= 100; i++) window.record(i);
    assert.deepEqual(window.percentiles(), { p50: 51, p95: 96, p99: 100 });
  });

  it('serves a cached read until cleared', () => {
    const cache = new ReadCache(60_000);
    const key = ReadCache.key(1, Buffer.of(3, 0, 0, 0, 1));
    cache.set(key, Buffer.of(3, 2, 0, 9));
    assert.deepEqual(cache.get(key), Buffer.of(3, 2, 0, 9));
    cache.clear();
    assert.equal(cache.get(key), undefined);
  });
});

import * as assert from 'node:assert/strict';
import { addProxyEdits, proxyNamesInText } from '../../../extension/config/configEdits';
import {
  clientTooltipMarkdown,
  describeClient,
  describeProxy,
  escapeMarkdown,
  formatAge,
  formatBytes,
  formatLatency,
  formatListen,
  formatRate,
  proxyStatusText,
  proxyStatusTooltip,
  proxyTooltipMarkdown,
} from '../../../extension/proxies/proxyFormat';
import {
  ProxyModel,
  canStart,
  canStop,
  isExposedHost,
  isWildcardHost,
  proxyContextValue,
  suggestPort,
} from '../../../extension/proxies/proxyModel';
import { BifrostConfig } from '../../../gateway/api';
import { proxyClientInfo, proxyInfo } from '../helpers/proxyInfo';

function applyEdits(text: string, edits: { offset: number; length: number; content: string }[]): string {
  return [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.content + t.slice(e.offset + e.length), text);
}

describe('extension/proxies: formatting', () => {
  it('formats addresses, rates, bytes, latencies and ages', () => {
    assert.equal(formatListen({ host: '127.0.0.1', port: 5020 }), '127.0.0.1:5020');
    assert.equal(formatListen({ host: '::1', port: 502 }), '[::1]:502');
    assert.equal(formatRate(0), '0');
    assert.equal(formatRate(12.345), '12.3');
    assert.equal(formatRate(345.6), '346');
    assert.equal(formatRate(1530), '1.5k');
    assert.equal(formatRate(25_400), '25k');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5 MiB');
    assert.equal(formatLatency(null), '—');
    assert.equal(formatLatency(0.4234), '0.42 ms');
    assert.equal(formatLatency(12.34), '12.3 ms');
    assert.equal(formatLatency(250.4), '250 ms');
    assert.equal(formatAge(200), 'just now');
    assert.equal(formatAge(42_000), '42 s ago');
    assert.equal(formatAge(3 * 60_000), '3 min ago');
  });

  it('describes a running proxy with clients, rate and errors, and a stopped or failed one by its state', () => {
    const running = proxyInfo('p', { state: 'running', clients: [proxyClientInfo('127.0.0.1:50000'), proxyClientInfo('127.0.0.1:50001')] }, { requestsPerSecond: 12.5, errors: 1 });
    assert.equal(describeProxy(running), '127.0.0.1:5020 · 2 clients · 12.5 req/s · 1 error');
    assert.equal(describeProxy(proxyInfo('p', { state: 'running' })), '127.0.0.1:5020 · 0 clients · 0 req/s');
    assert.equal(describeProxy(proxyInfo('p')), '127.0.0.1:5020 · stopped');
    const failed = proxyInfo('p', { state: 'error', lastError: 'port 5020 on 127.0.0.1 is already in use' });
    assert.equal(describeProxy(failed), '127.0.0.1:5020 · port 5020 on 127.0.0.1 is already in use');
  });

  it('describes a client by requests and errors, and what is pending', () => {
    assert.equal(describeClient(proxyClientInfo('a', { requests: 1 })), '1 request · 0 errors');
    assert.equal(describeClient(proxyClientInfo('a', { requests: 40, errors: 2, exceptions: 3, pending: 1 })), '40 requests · 2 errors · 3 exceptions · 1 pending');
  });

  it('puts percentiles, bytes and exceptions in the tooltip, and escapes names', () => {
    const md = proxyTooltipMarkdown(
      proxyInfo('SCADA_1', { state: 'running', since: 0 }, { requests: 10, exceptions: 2, bytesIn: 120, bytesOut: 2048, latencyMs: { p50: 0.5, p95: 1.25, p99: 3 } }),
      5_000,
    );
    assert.match(md, /\*\*SCADA\\_1\*\* — Running 5 s ago/);
    assert.match(md, /p50 0\.5 ms · p95 1\.25 ms · p99 3 ms/);
    assert.match(md, /exceptions: 2/);
    assert.match(md, /120 B in · 2 KiB out/);
    assert.doesNotMatch(proxyTooltipMarkdown(proxyInfo('never'), 2_000), /Latency/, 'a proxy that never ran has no stats');
    assert.match(clientTooltipMarkdown(proxyClientInfo('127.0.0.1:5', { requests: 3 }), 61_000), /connected 1 min ago/);
    assert.match(clientTooltipMarkdown(proxyClientInfo('127.0.0.1:5', { latencyMs: { p50: 2, p95: 7.5, p99: 40 } }), 0), /Latency: p50 2 ms · p95 7\.5 ms · p99 40 ms/, "a client's own percentiles");
    assert.equal(escapeMarkdown('a*b[c]`d'), 'a\\*b\\[c\\]\\`d');
  });

  it('says in the status bar how many proxies run, and nothing when none is defined', () => {
    assert.equal(proxyStatusText(0, 0), undefined);
    assert.equal(proxyStatusText(0, 2), '$(radio-tower) 0');
    assert.equal(proxyStatusText(2, 3), '$(radio-tower) 2');
    assert.equal(proxyStatusTooltip(1, 3), '1 Bifrost proxy running of 3 defined');
    assert.equal(proxyStatusTooltip(0, 1), 'No Bifrost proxy is running (1 proxy defined)');
  });
});

describe('extension/proxies: view model', () => {
  it('replaces the list, updates known proxies and ignores unknown ones', () => {
    const model = new ProxyModel();
    model.replace([proxyInfo('a'), proxyInfo('b', { listen: { host: '127.0.0.1', port: 5021 } })]);
    assert.deepEqual(model.names(), ['a', 'b']);
    assert.equal(model.runningCount, 0);
    assert.equal(model.update(proxyInfo('a', { state: 'running', clients: [proxyClientInfo('127.0.0.1:40000', { requests: 5 })] })), true);
    assert.equal(model.runningCount, 1);
    assert.equal(model.client('a', '127.0.0.1:40000')?.requests, 5);
    assert.equal(model.client('a', 'nope'), undefined);
    assert.equal(model.update(proxyInfo('c', { state: 'running' })), false, 'a status for a proxy the list lacks waits for the list');
    assert.deepEqual(model.names(), ['a', 'b']);
    model.clear();
    assert.equal(model.size, 0);
  });

  it('offers start and stop by state, with context values the menus match', () => {
    assert.equal(canStart(proxyInfo('p')), true);
    assert.equal(canStart(proxyInfo('p', { state: 'error' })), true);
    assert.equal(canStart(proxyInfo('p', { state: 'running' })), false);
    assert.equal(canStop(proxyInfo('p')), false);
    assert.equal(canStop(proxyInfo('p', { state: 'starting' })), true);
    assert.equal(proxyContextValue(proxyInfo('p', { state: 'running' })), 'bifrost.proxy.running');
  });

  it('suggests a free port and recognises exposed hosts', () => {
    assert.equal(suggestPort([]), 5020);
    assert.equal(suggestPort([proxyInfo('a'), proxyInfo('b', { listen: { host: '0.0.0.0', port: 5021 } })]), 5022);
    assert.equal(isExposedHost('127.0.0.1'), false);
    assert.equal(isExposedHost('127.0.0.2'), false);
    assert.equal(isExposedHost('localhost'), false);
    assert.equal(isExposedHost('::1'), false);
    assert.equal(isExposedHost('0.0.0.0'), true);
    assert.equal(isExposedHost('192.168.1.10'), true);
    assert.equal(isWildcardHost('0.0.0.0'), true);
    assert.equal(isWildcardHost('::'), true);
    assert.equal(isWildcardHost('10.0.0.1'), false);
  });
});

describe('extension/config/configEdits: proxies', () => {
  const base = '{\n  "version": 1,\n  "devices": [\n    { "name": "Demo", "transport": { "kind": "demo" } }\n  ]\n}\n';
  const p = { name: 'SCADA', listen: { host: '127.0.0.1', port: 5020 }, device: 'Demo', allowedFunctions: 'read-only' as const };

  it('creates "proxies" when the file has none, and the result is a valid config', () => {
    const result = addProxyEdits(base, p);
    assert.ok(result.ok);
    const text = applyEdits(base, result.edits);
    assert.ok(text.startsWith('{\n  "version": 1,\n  "devices": [\n    { "name": "Demo", "transport": { "kind": "demo" } }\n  ],'), 'devices untouched');
    const parsed = BifrostConfig.parse(JSON.parse(text));
    assert.equal(parsed.proxies[0].name, 'SCADA');
    assert.equal(parsed.proxies[0].allowedFunctions, 'read-only');
    assert.deepEqual(proxyNamesInText(text), ['SCADA']);
  });

  it('appends after an existing proxy with its indentation, and refuses a duplicate name', () => {
    const first = addProxyEdits(base, p);
    assert.ok(first.ok);
    const once = applyEdits(base, first.edits);
    const second = addProxyEdits(once, { ...p, name: 'HMI', listen: { host: '127.0.0.1', port: 5021 } });
    assert.ok(second.ok);
    const twice = applyEdits(once, second.edits);
    assert.deepEqual(proxyNamesInText(twice), ['SCADA', 'HMI']);
    assert.ok(twice.startsWith(once.slice(0, once.lastIndexOf('}\n  ]'))), 'the first proxy stays as written');
    const duplicate = addProxyEdits(twice, p);
    assert.equal(duplicate.ok, false);
    assert.equal(addProxyEdits('{ "proxies": {} }', p).ok, false);
  });
});

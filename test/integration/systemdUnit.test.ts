/**
 * deploy/bifrost-gateway.service: the keys a safe unit needs, systemd's own check of
 * it, and its ExecStart line run against the packaged gateway (so a renamed flag
 * breaks this test, not a site's service).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestChannelClient } from './helpers/channelClient';
import { start, startSimulator, stopAll } from './helpers/childProcess';
import { makeTestPki, type TestPki } from './helpers/selfSignedCert';
import { GATEWAY_JS, REPO_ROOT } from './helpers/tools';

const UNIT_FILE = path.join(REPO_ROOT, 'deploy/bifrost-gateway.service');

/** Section → key → every value the key is given (continuation lines joined). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  const lines = text.replace(/\s*\\\n\s*/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1], section);
      continue;
    }
    const equals = line.indexOf('=');
    assert.ok(section && equals > 0, `not a unit file line: ${line}`);
    const key = line.slice(0, equals);
    section.set(key, [...(section.get(key) ?? []), line.slice(equals + 1)]);
  }
  return sections;
}

function systemdAnalyze(): string | undefined {
  try {
    return execFileSync('which', ['systemd-analyze'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

describe('systemd unit (deploy/bifrost-gateway.service)', function () {
  const service = parseUnit(fs.readFileSync(UNIT_FILE, 'utf8')).get('Service')!;
  const one = (key: string) => {
    const values = service.get(key) ?? [];
    assert.equal(values.length, 1, `${key}= given ${values.length} times`);
    return values[0];
  };
  let pki: TestPki;
  before(() => (pki = makeTestPki()));
  after(async () => {
    await stopAll();
    fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('runs the config with metrics and the TLS channel, its secrets through LoadCredential, never a token on the command line', () => {
    const exec = one('ExecStart');
    assert.match(exec, /gateway\.js run --config \$\{CONFIGURATION_DIRECTORY\}\/bifrost\.json /);
    assert.match(exec, /--metrics \S+:9464/);
    assert.match(exec, /--serve 0\.0\.0\.0:7443/);
    assert.match(exec, /--tls-cert %d\/tls\.crt --tls-key %d\/tls\.key --token-file %d\/token/);
    assert.doesNotMatch(exec, /--token /);
    const credentials = (service.get('LoadCredential') ?? []).map((value) => value.split(':')[0]).sort();
    assert.deepEqual(credentials, ['tls.crt', 'tls.key', 'token']);
    assert.equal(one('ConfigurationDirectory'), 'bifrost');
    assert.equal(one('StateDirectory'), 'bifrost');
    assert.equal(one('RestartPreventExitStatus'), '2', 'a usage error is not retried');
  });

  it('is hardened: a dynamic user in dialout, no new privileges, a read-only system, serial ports the only devices', () => {
    for (const [key, value] of [
      ['DynamicUser', 'yes'],
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['DevicePolicy', 'closed'],
      ['CapabilityBoundingSet', ''],
      ['RestrictSUIDSGID', 'yes'],
    ]) {
      assert.equal(one(key), value, key);
    }
    assert.match(one('SupplementaryGroups'), /\bdialout\b/);
    assert.ok(!service.has('PrivateDevices'), 'PrivateDevices would hide the serial ports');
    assert.deepEqual(service.get('DeviceAllow'), ['char-ttyS rw', 'char-ttyUSB rw', 'char-ttyACM rw']);
  });

  it('systemd-analyze verify accepts it', () => {
    const analyze = systemdAnalyze();
    assert.ok(analyze, 'systemd-analyze is not installed: bash scripts/setup.sh installs it (Debian package systemd)');
    // It exits 0 on unknown keys and unparsable values, and says so on stderr.
    const result = spawnSync(analyze, ['verify', UNIT_FILE], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(`${result.stdout}${result.stderr}`.trim(), '');
  });

  it('its ExecStart line starts the packaged gateway (ports and paths made local to the test)', async () => {
    const simulator = await startSimulator();
    const config = path.join(pki.dir, 'bifrost.json');
    fs.writeFileSync(config, JSON.stringify({
      version: 1,
      devices: [{ name: 'Line 1', transport: { kind: 'tcp', host: '127.0.0.1', port: simulator.port }, unitId: 1, tags: [{ name: 'counter', address: 'HR:0', type: 'uint16' }] }],
    }));
    fs.copyFileSync(pki.certFile, path.join(pki.dir, 'tls.crt'));
    fs.copyFileSync(pki.keyFile, path.join(pki.dir, 'tls.key'));
    const args = one('ExecStart')
      .split(/\s+/)
      .slice(2) // node and the installed gateway.js: the packaged one runs instead
      .map((arg) => arg.replace('${CONFIGURATION_DIRECTORY}', pki.dir).replace('%d', pki.dir).replace(/^0\.0\.0\.0:\d+$/, '127.0.0.1:0'));
    const gateway = start(process.execPath, [GATEWAY_JS, ...args]);
    await gateway.waitForStdout(/^metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const [, url] = await gateway.waitForStdout(/^channel on (wss:\/\/127\.0\.0\.1:\d+\/)/);
    const client = await TestChannelClient.open(url, pki.token, { ca: pki.cert });
    try {
      await client.waitForTagValue('Line 1', 'counter', (value) => value.quality === 'good', { timeoutMs: 5000, what: 'a counter value over the unit\'s channel' });
    } finally {
      client.close();
    }
  });
});

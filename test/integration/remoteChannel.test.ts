/**
 * The channel for other machines: TLS with a certificate the test makes, the
 * operator's token from a file or the environment, refusals at startup, and a
 * headless `run --serve` whose devices a client reads over wss://.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { TestChannelClient, refusedStatus } from './helpers/channelClient';
import { start, startGateway, startSimulator, stopAll, type Child } from './helpers/childProcess';
import { runCli } from './helpers/cliRun';
import { makeTestPki, type TestPki } from './helpers/selfSignedCert';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';

/** How a client that does not complete a wss:// connection fails: the error's code or message. */
function failedConnection(url: string, options: WebSocket.ClientOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('open', () => {
      socket.close();
      reject(new Error(`${url} was accepted`));
    });
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate();
      resolve(`HTTP ${response.statusCode}`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function startTlsGateway(pki: TestPki, extra: string[] = [], env?: NodeJS.ProcessEnv): Promise<{ child: Child; url: string }> {
  const child = start(process.execPath, [GATEWAY_JS, 'serve', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, ...extra], env);
  const [, url] = await child.waitForStdout(/^serving on (wss:\/\/127\.0\.0\.1:\d+\/) \(the token from .+\)$/);
  return { child, url };
}

describe('remote channel: TLS, the operator\'s token, refusals', function () {
  let pki: TestPki;

  before(() => {
    requireBuiltGateway();
    pki = makeTestPki();
  });
  after(async () => {
    await stopAll();
    fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('refuses to listen beyond loopback without TLS and a token, saying what is missing (exit 2)', async () => {
    const bare = await runCli(['serve', '--host', '0.0.0.0', '--port', '0']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /would listen on 0\.0\.0\.0, beyond this machine, without TLS \(--tls-cert FILE --tls-key FILE\) and without a token you give it/);
    const tlsOnly = await runCli(['serve', '--host', '0.0.0.0', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile]);
    assert.equal(tlsOnly.code, 2);
    assert.match(tlsOnly.stderr, /without a token you give it \(--token-file FILE or BIFROST_TOKEN\)/);
    assert.doesNotMatch(tlsOnly.stderr, /without TLS/);
    const tokenOnly = await runCli(['run', '--config', '/nonexistent.json', '--serve', '0.0.0.0:0', '--token-file', pki.tokenFile]);
    assert.equal(tokenOnly.code, 2);
    assert.match(tokenOnly.stderr, /without TLS/);
  });

  it('refuses --token on the command line, saying why and what to use instead', async () => {
    for (const command of [['serve'], ['run', '--config', 'x.json', '--serve', '127.0.0.1:0']]) {
      const result = await runCli([...command, '--token', pki.token]);
      assert.equal(result.code, 2, command[0]);
      assert.match(result.stderr, /--token is refused: a token on the command line is visible to every user of this machine .*--token-file FILE.*BIFROST_TOKEN/);
    }
  });

  it('refuses a key that is not the certificate\'s, an unusable token file, and TLS flags on run without --serve', async () => {
    const other = makeTestPki();
    try {
      const mismatch = await runCli(['serve', '--tls-cert', pki.certFile, '--tls-key', other.keyFile, '--token-file', pki.tokenFile]);
      assert.equal(mismatch.code, 1);
      assert.match(mismatch.stderr, /is not the private key of the certificate in/);
      fs.writeFileSync(other.tokenFile, 'short\n');
      const short = await runCli(['serve', '--token-file', other.tokenFile]);
      assert.equal(short.code, 1);
      assert.match(short.stderr, /the token in .*token is not usable: expected 16 to 512 characters .*openssl rand -hex 24/);
      const stray = await runCli(['run', '--config', 'x.json', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile]);
      assert.equal(stray.code, 2);
      assert.match(stray.stderr, /secures the channel, which run opens only with --serve HOST:PORT/);
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('serves wss:// with the token from a file: the right CA and token connect; a wrong token, no CA, or plain ws:// do not', async () => {
    const { child, url } = await startTlsGateway(pki, ['--token-file', pki.tokenFile]);
    assert.ok(child.stderr.some((line) => line.includes(`SHA-256 fingerprint ${pki.fingerprint256}`)), 'the fingerprint is logged to compare with');
    assert.ok(![...child.stdout, ...child.stderr].some((line) => line.includes(pki.token)), 'the token is never printed');

    const client = await TestChannelClient.open(url, pki.token, { ca: pki.cert });
    try {
      const hello = await client.request('hello', { client: 'remote-test', protocolVersion: 1 });
      assert.equal(hello.pid, child.process.pid);
      assert.equal((await client.request('devices.snapshot', {})).devices[0].name, 'Demo');
    } finally {
      client.close();
    }
    assert.equal(await refusedStatus(`${url}?token=${'0'.repeat(48)}`, { ca: pki.cert }), 401);
    assert.equal(await failedConnection(`${url}?token=${pki.token}`), 'DEPTH_ZERO_SELF_SIGNED_CERT');
    const plain = await failedConnection(`${url.replace('wss:', 'ws:')}?token=${pki.token}`);
    assert.match(plain, /ECONNRESET|socket hang up|HTTP 400/);
    await child.stop();
  });

  it('takes the token from BIFROST_TOKEN, and refuses it given twice', async () => {
    const { url } = await startTlsGateway(pki, [], { ...process.env, BIFROST_TOKEN: pki.token });
    const client = await TestChannelClient.open(url, pki.token, { ca: pki.cert });
    client.close();
    const child = start(process.execPath, [GATEWAY_JS, 'serve', '--token-file', pki.tokenFile], { ...process.env, BIFROST_TOKEN: pki.token });
    assert.equal((await child.exited).code, 2);
    assert.match(child.stderr.join('\n'), /the token is given twice \(--token-file and BIFROST_TOKEN\): give it one way/);
    await stopAll();
  });

  it('locks out an address that keeps sending wrong tokens (429, even with the right one), over TLS only', async () => {
    const { child, url } = await startTlsGateway(pki, ['--token-file', pki.tokenFile]);
    for (let guess = 0; guess < 5; guess++) assert.equal(await refusedStatus(`${url}?token=guess${guess}xxxxxxxxxxxxxxx`, { ca: pki.cert }), 401);
    assert.equal(await refusedStatus(`${url}?token=${pki.token}`, { ca: pki.cert }), 429);
    assert.equal(child.stderr.filter((line) => line.includes('refusing every connection from')).length, 1);

    // The editor's own loopback channel: local processes share 127.0.0.1, so none may lock the editor out.
    const local = await startGateway();
    const base = `ws://127.0.0.1:${local.ready.port}/`;
    for (let guess = 0; guess < 6; guess++) assert.equal(await refusedStatus(`${base}?token=guess${guess}`), 401);
    (await TestChannelClient.connect(local.ready.port, local.ready.token)).close();
    await stopAll();
  });

  it('run --serve: a headless gateway runs its own config, and a wss:// client reads the simulator\'s values but cannot apply another config', async () => {
    const simulator = await startSimulator();
    const configFile = path.join(pki.dir, 'bifrost.json');
    const config = {
      version: 1,
      devices: [
        {
          name: 'Site meter',
          transport: { kind: 'tcp', host: '127.0.0.1', port: simulator.port },
          unitId: 1,
          pollMs: 200,
          tags: [
            { name: 'pi', address: 'HR:10', type: 'float32', order: 'ABCD' },
            { name: 'counter', address: 'HR:0', type: 'uint16' },
          ],
        },
      ],
    };
    fs.writeFileSync(configFile, JSON.stringify(config));
    const gateway = start(process.execPath, [GATEWAY_JS, 'run', '--config', configFile, '--serve', '127.0.0.1:0', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, '--token-file', pki.tokenFile]);
    const [, url] = await gateway.waitForStdout(/^channel on (wss:\/\/127\.0\.0\.1:\d+\/) \(the token from /);
    const client = await TestChannelClient.open(url, pki.token, { ca: pki.cert });
    try {
      const hello = await client.request('hello', { client: 'remote-test', protocolVersion: 1 });
      assert.equal(hello.configFile, configFile);
      const { devices } = await client.request('devices.snapshot', {});
      assert.deepEqual(devices.map((device) => device.name), ['Site meter']);
      assert.deepEqual(devices[0].tags.map((tag) => tag.name), ['pi', 'counter']);
      const pi = await client.waitForTagValue('Site meter', 'pi', (value) => value.quality === 'good', { timeoutMs: 5000, what: 'pi over wss://' });
      assert.ok(Math.abs((pi.value as number) - Math.PI) < 1e-6, `pi read ${String(pi.value)}`);
      const first = await client.waitForTagValue('Site meter', 'counter', (value) => value.quality === 'good', { timeoutMs: 5000, what: 'the counter' });
      await client.waitForTagValue('Site meter', 'counter', (value) => value.quality === 'good' && value.value !== first.value, { timeoutMs: 5000, what: 'the counter moving' });

      const apply = await client.raw('config.apply', { config: null, source: 'an attached editor' });
      assert.ok(!apply.ok && apply.error.code === 'config_owned', JSON.stringify(apply));
      assert.match(apply.ok ? '' : apply.error.message, new RegExp(`this gateway runs ${configFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; it does not take a configuration over the channel`));
      assert.deepEqual((await client.request('devices.snapshot', {})).devices.map((device) => device.name), ['Site meter'], 'still running its own config');
    } finally {
      client.close();
    }
  });
});

/**
 * The extension's end of attaching a gateway elsewhere, against the packaged gateway
 * over wss://: the certificate probe, the pinned connection, and the refusals a user
 * reads (wrong token, too many wrong tokens, another certificate).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { attachFailure } from '../../extension/gateway/attachFailure';
import { probeCertificate, pinnedSocketOptions } from '../../extension/gateway/certificatePin';
import { ChannelClient, ChannelConnectError } from '../../extension/gateway/channelClient';
import { channelCloseInWords } from '../../extension/gateway/connectionWords';
import type { Logger } from '../../extension/util/logger';
import { start, stopAll, type Child } from './helpers/childProcess';
import { makeTestPki, type TestPki } from './helpers/selfSignedCert';
import { GATEWAY_JS, requireBuiltGateway } from './helpers/tools';

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function connectError(run: () => Promise<unknown>): Promise<ChannelConnectError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof ChannelConnectError, `not a ChannelConnectError: ${String(error)}`);
    return error;
  }
  throw new Error('the connection was accepted');
}

describe('attaching a gateway elsewhere: the client side over wss://', function () {
  let pki: TestPki;
  let other: TestPki;
  let gateway: Child;
  let url: string;

  before(async () => {
    requireBuiltGateway();
    pki = makeTestPki();
    other = makeTestPki();
    gateway = start(process.execPath, [GATEWAY_JS, 'serve', '--verbose', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, '--token-file', pki.tokenFile]);
    [, url] = await gateway.waitForStdout(/^serving on (wss:\/\/127\.0\.0\.1:\d+\/)/);
  });
  after(async () => {
    await stopAll();
    for (const dir of [pki?.dir, other?.dir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('probes the certificate without sending anything: self-signed, with the fingerprint the gateway logged', async () => {
    const presented = await probeCertificate(new URL(url));
    assert.equal(presented.trusted, false);
    assert.equal(presented.untrustedBecause, 'it is self-signed');
    assert.equal(presented.fingerprint256, pki.fingerprint256);
    assert.ok(gateway.stderr.some((line) => line.includes(`SHA-256 fingerprint ${presented.fingerprint256}`)));
    assert.match(presented.subject, /CN=localhost/);
  });

  it('connects with the pinned certificate and the token, and says hello', async () => {
    const presented = await probeCertificate(new URL(url));
    const client = await ChannelClient.connect({ url, token: pki.token, logger: quiet, clientName: 'attach-test', socketOptions: pinnedSocketOptions(presented) });
    try {
      assert.equal(client.hello?.pid, gateway.process.pid);
      assert.equal((await client.request('devices.snapshot', {})).devices[0].name, 'Demo');
    } finally {
      client.close();
    }
  });

  it('refuses a gateway showing another certificate than the pinned one, in the handshake, before the token is sent', async () => {
    const mark = gateway.stderr.length;
    const pinnedOther = { fingerprint256: other.fingerprint256, pem: other.cert.toString() };
    const error = await connectError(() => ChannelClient.connect({ url, token: pki.token, logger: quiet, clientName: 'attach-test', socketOptions: pinnedSocketOptions(pinnedOther) }));
    assert.match(error.message, /cannot connect to the gateway on wss:\/\/127\.0\.0\.1:\d+\/: /);
    assert.ok(error.code && !error.code.startsWith('HTTP_'), `a TLS failure, not an HTTP answer: ${error.code}`);
    const after = gateway.stderr.slice(mark);
    assert.ok(!after.some((line) => /channel client connected|refused a channel connection/.test(line)), after.join('\n'));
  });

  it('hears the gateway say goodbye (1001) when it is stopped, not a connection that dropped without a word', async () => {
    const stopping = start(process.execPath, [GATEWAY_JS, 'serve', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, '--token-file', pki.tokenFile]);
    const [, stoppingUrl] = await stopping.waitForStdout(/^serving on (wss:\/\/127\.0\.0\.1:\d+\/)/);
    const presented = await probeCertificate(new URL(stoppingUrl));
    const client = await ChannelClient.connect({ url: stoppingUrl, token: pki.token, logger: quiet, clientName: 'attach-test', socketOptions: pinnedSocketOptions(presented) });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => client.onClose(resolve));
    stopping.process.kill('SIGTERM');
    const { code, reason } = await closed;
    assert.equal(code, 1001);
    assert.equal(channelCloseInWords(code, reason), 'the gateway closed the connection: the gateway is stopping');
  });

  it('tells the user attaching what to do: the token file for a wrong token, the address when nothing listens there', async () => {
    const presented = await probeCertificate(new URL(url));
    const wrong = await connectError(() => ChannelClient.connect({ url, token: 'w'.repeat(48), logger: quiet, clientName: 'attach-test', socketOptions: pinnedSocketOptions(presented) }));
    assert.match(attachFailure('gw:7443', wrong), /^cannot attach gw:7443: .*wrong token\. Nothing was saved: attach again with the token the gateway reads from its --token-file/);
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const unreachable = await probeCertificate(new URL(`wss://127.0.0.1:${closed}/`)).then(
      () => assert.fail('a closed port presented a certificate'),
      (error: unknown) => error,
    );
    assert.match(
      attachFailure(`127.0.0.1:${closed}`, unreachable),
      /connection refused\. Nothing was saved: check the host and port against the line the gateway prints when it starts \("channel on wss:\/\/…"\)/,
    );
  });

  it('says "wrong token" on 401, and "too many wrong tokens" once the gateway locks this address out', async () => {
    const presented = await probeCertificate(new URL(url));
    const attempt = (token: string) => () => ChannelClient.connect({ url, token, logger: quiet, clientName: 'attach-test', socketOptions: pinnedSocketOptions(presented) });
    const wrong = await connectError(attempt('x'.repeat(48)));
    assert.equal(wrong.code, 'HTTP_401');
    assert.match(wrong.message, /refused the connection: wrong token$/);
    for (let guess = 0; guess < 4; guess++) await connectError(attempt(`guess${guess}`.padEnd(48, 'y')));
    const locked = await connectError(attempt(pki.token));
    assert.equal(locked.code, 'HTTP_429');
    assert.match(locked.message, /too many wrong tokens from this address; wait a minute/);
  });
});

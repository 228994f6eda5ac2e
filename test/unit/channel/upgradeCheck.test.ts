import assert from 'node:assert/strict';
import { refusedUpgrade } from '../../../gateway/channel/upgradeCheck';

describe('channel upgrade check (Host and Origin)', () => {
  const loopback = { host: '127.0.0.1', port: 41234 };

  it('lets in a client that addresses the gateway by a loopback name and sends no Origin', () => {
    for (const host of ['127.0.0.1:41234', 'localhost:41234', '[::1]:41234', 'LOCALHOST:41234']) {
      assert.equal(refusedUpgrade({ host }, loopback), undefined, host);
    }
  });

  it('refuses a Host header that is another name (DNS rebinding), another port, or none', () => {
    for (const host of ['evil.example:41234', 'evil.example', '127.0.0.1:80', '127.0.0.1', 'localhost.evil.example:41234', '[::1]']) {
      assert.match(refusedUpgrade({ host }, loopback) ?? '', /is not this gateway's address \(expected 127\.0\.0\.1:41234/, host);
    }
    assert.match(refusedUpgrade({}, loopback) ?? '', /Host header \(none\)/);
  });

  it('refuses any web page by its Origin, even one on localhost, but not the gateway itself', () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3000', 'vscode-webview://abc', 'file://']) {
      assert.match(refusedUpgrade({ host: '127.0.0.1:41234', origin }, loopback) ?? '', /a web page \(Origin .*\) may not drive the gateway/, origin);
    }
    assert.equal(refusedUpgrade({ host: '127.0.0.1:41234', origin: 'http://127.0.0.1:41234' }, loopback), undefined);
  });

  it('accepts the configured host, and any address literal (never a name) when bound to every interface', () => {
    assert.equal(refusedUpgrade({ host: 'plc-gw.local:41234' }, { host: 'plc-gw.local', port: 41234 }), undefined);
    const everywhere = { host: '0.0.0.0', port: 41234 };
    assert.equal(refusedUpgrade({ host: '10.0.0.7:41234' }, everywhere), undefined);
    assert.equal(refusedUpgrade({ host: '[fe80::1]:41234' }, everywhere), undefined);
    assert.notEqual(refusedUpgrade({ host: 'evil.example:41234' }, everywhere), undefined);
  });
});

describe('channel upgrade check over TLS', () => {
  const tls = { host: '0.0.0.0', port: 7443, tls: true };

  it('lets in any Host (a certificate name, a tunnel, a port forward): the certificate proves the name', () => {
    for (const host of ['gw-site3.example.com:7443', 'localhost:9000', '10.1.2.3:7443', undefined]) {
      assert.equal(refusedUpgrade(host === undefined ? {} : { host }, tls), undefined, host);
    }
  });

  it('still refuses every web page by its Origin', () => {
    for (const origin of ['https://evil.example', 'null', 'https://gw-site3.example.com:7443']) {
      assert.match(refusedUpgrade({ host: 'gw-site3.example.com:7443', origin }, tls) ?? '', /a web page \(Origin .*\) may not drive the gateway/, origin);
    }
  });
});

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1, made with
 * openssl for one test run: real TLS between the gateway and a broker, nothing mocked.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './tempDir';

export interface TestCertificates {
  ca: string;
  cert: string;
  key: string;
}

export function makeTestCertificates(): TestCertificates {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
  } catch {
    throw new Error('openssl is not installed: the MQTT TLS test makes its certificates with it. Install it with "apt-get install openssl".');
  }
  const dir = tempDir('bifrost-tls-');
  // The broker may read its files after dropping root for its own user.
  fs.chmodSync(dir, 0o755);
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Bifrost test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem'));
  for (const name of fs.readdirSync(dir)) fs.chmodSync(file(name), 0o644);
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

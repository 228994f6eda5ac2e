/**
 * A throwaway certificate authority's worth of TLS for a test: a self-signed
 * certificate for localhost and 127.0.0.1, its key, and a token file, made with
 * Debian's openssl CLI in a fresh directory (removed when the test process exits).
 * Self-signed on purpose: it is what an edge box without a CA has, and what Attach
 * Gateway pins (testCertificates.ts makes a CA-signed one, for verified TLS).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './tempDir';

export interface TestPki {
  dir: string;
  certFile: string;
  keyFile: string;
  tokenFile: string;
  cert: Buffer;
  token: string;
  /** "AB:CD:…", as node and the extension show it. */
  fingerprint256: string;
}

export function requireOpenssl(): void {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
  } catch {
    throw new Error('openssl is not installed: these tests make a self-signed certificate with it. Install it with "apt-get install openssl".');
  }
}

export function makeTestPki(commonName = 'localhost'): TestPki {
  requireOpenssl();
  const dir = tempDir('bifrost-pki-');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const tokenFile = path.join(dir, 'token');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-keyout', keyFile, '-out', certFile, '-subj', `/CN=${commonName}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'pipe' },
  );
  const token = randomBytes(24).toString('hex');
  fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const cert = fs.readFileSync(certFile);
  return { dir, certFile, keyFile, tokenFile, cert, token, fingerprint256: new X509Certificate(cert).fingerprint256 };
}

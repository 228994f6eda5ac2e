/**
 * How the channel is secured when it is meant for other machines: TLS from a
 * certificate and key on disk, and a token the operator gives (from a file or the
 * environment, never the command line, where `ps` shows it to every user). A
 * channel beyond loopback without both is refused at startup, not warned about.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { createSecureContext } from 'node:tls';
import { OPERATOR_TOKEN_PATTERN, OPERATOR_TOKEN_RULE } from '../api/channel';
import { isLoopbackHost } from '../transport/loopback';
import { StartupError } from './startupError';
import { UsageError } from './usageError';

export const TOKEN_ENV = 'BIFROST_TOKEN';

/** The flags every command that opens the channel takes (`--token` only to refuse it with the reason). */
export const CHANNEL_SECURITY_FLAGS = {
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'token-file': { type: 'string' },
  token: { type: 'string' },
} as const;

export interface ChannelSecurityFlags {
  'tls-cert'?: string;
  'tls-key'?: string;
  'token-file'?: string;
  token?: string;
}

export interface ChannelSecurity {
  tls?: { cert: Buffer; key: Buffer; certificate: X509Certificate };
  /** The operator's token, and where it came from; undefined when none was given. */
  token?: { value: string; from: string };
}

export function channelSecurity(command: string, host: string, flags: ChannelSecurityFlags, env: NodeJS.ProcessEnv = process.env): ChannelSecurity {
  if (flags.token !== undefined) {
    throw new UsageError(
      `--token is refused: a token on the command line is visible to every user of this machine (ps, /proc) and stays in shell history; ` +
        `put it in a file only the gateway's user can read (--token-file FILE) or in the environment variable ${TOKEN_ENV}`,
      command,
    );
  }
  if ((flags['tls-cert'] === undefined) !== (flags['tls-key'] === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together: the certificate and its private key, both PEM files', command);
  }
  if (flags['token-file'] !== undefined && env[TOKEN_ENV] !== undefined) {
    throw new UsageError(`the token is given twice (--token-file and ${TOKEN_ENV}): give it one way`, command);
  }
  const security: ChannelSecurity = {};
  if (flags['tls-cert'] !== undefined && flags['tls-key'] !== undefined) security.tls = readTls(flags['tls-cert'], flags['tls-key']);
  if (flags['token-file'] !== undefined) security.token = { value: readTokenFile(flags['token-file']), from: flags['token-file'] };
  else if (env[TOKEN_ENV] !== undefined) security.token = { value: checkedToken(env[TOKEN_ENV], `the environment variable ${TOKEN_ENV}`), from: TOKEN_ENV };

  if (!isLoopbackHost(host)) {
    const missing = [
      ...(security.tls ? [] : ['TLS (--tls-cert FILE --tls-key FILE)']),
      ...(security.token ? [] : [`a token you give it (--token-file FILE or ${TOKEN_ENV})`]),
    ];
    if (missing.length > 0) {
      throw new UsageError(
        `the channel would listen on ${host}, beyond this machine, without ${missing.join(' and without ')}: ` +
          `anyone on the network could then read the traffic or drive the devices. Give both, or keep the default --host 127.0.0.1`,
        command,
      );
    }
  }
  return security;
}

/** "AB:CD:…", as the extension shows it when asked to trust the certificate. */
export function describeCertificate(certificate: X509Certificate): string {
  return `certificate ${certificate.subject.replace(/\n/g, ', ')}, SHA-256 fingerprint ${certificate.fingerprint256}, valid until ${certificate.validTo}`;
}

function readTls(certFile: string, keyFile: string): NonNullable<ChannelSecurity['tls']> {
  const cert = readSecretFile(certFile, 'the TLS certificate');
  const key = readSecretFile(keyFile, 'the TLS private key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new StartupError(`${certFile} is not a PEM certificate (${(error as Error).message}); expected "-----BEGIN CERTIFICATE-----"`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new StartupError(`${keyFile} is not the private key of the certificate in ${certFile}: ${(error as Error).message}`);
  }
  if (Date.parse(certificate.validTo) < Date.now()) {
    throw new StartupError(`the certificate in ${certFile} expired on ${certificate.validTo}: clients would refuse it; renew it`);
  }
  return { cert, key, certificate };
}

function readTokenFile(file: string): string {
  const text = readSecretFile(file, 'the token file').toString('utf8');
  // One line, as `openssl rand -hex 24 > token` writes it.
  return checkedToken(text.replace(/\r?\n$/, ''), file);
}

function checkedToken(token: string, where: string): string {
  if (!OPERATOR_TOKEN_PATTERN.test(token)) {
    throw new StartupError(
      `the token in ${where} is not usable: expected ${OPERATOR_TOKEN_RULE} ` +
        `(got ${token.length} characters${/\s/.test(token) ? ', with spaces or line breaks' : ''}); make one with "openssl rand -hex 24"`,
    );
  }
  return token;
}

function readSecretFile(file: string, what: string): Buffer {
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
    return fs.readFileSync(file);
  } catch (error) {
    throw new StartupError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/**
 * Trusting a gateway's self-signed certificate the way SSH trusts a host key: the
 * user is shown its SHA-256 fingerprint once, and from then on that exact
 * certificate is the only one accepted for the URL. The pinned certificate becomes
 * the connection's only trust anchor, so an impostor fails the TLS handshake before
 * the token (in the upgrade request) is ever sent. No vscode import: unit-tested in Node.
 */
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';

export interface CertificatePin {
  /** "AB:CD:…" (uppercase hex pairs), as the gateway logs it. */
  fingerprint256: string;
  /** The certificate itself, PEM: the trust anchor for later connections. */
  pem: string;
}

export interface PresentedCertificate extends CertificatePin {
  /** Whether this machine's trust store accepts it for the URL's host name. */
  trusted: boolean;
  /** Why it is not trusted: "self-signed certificate", "Hostname/IP does not match…". */
  untrustedBecause?: string;
  subject: string;
  validTo: string;
}

const PROBE_TIMEOUT_MS = 5000;

/** Nothing answered TLS at the gateway's address (refused, unknown host, timed out): no certificate was seen. */
export class GatewayUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayUnreachableError';
  }
}

/** The certificate a wss:// gateway presents, and whether it is trusted, without sending it anything. */
export function probeCertificate(url: URL, timeoutMs = PROBE_TIMEOUT_MS): Promise<PresentedCertificate> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new GatewayUnreachableError(`no TLS answer from ${host}:${port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate(false).raw;
      const authorizationError = socket.authorizationError;
      socket.end();
      if (!raw) return reject(new Error(`${host}:${port} presented no certificate`));
      const certificate = new X509Certificate(raw);
      resolve({
        fingerprint256: certificate.fingerprint256,
        pem: certificate.toString(),
        trusted: socket.authorized,
        ...(socket.authorized ? {} : { untrustedBecause: describeTlsError(authorizationError) }),
        subject: certificate.subject.replace(/\n/g, ', '),
        validTo: certificate.validTo,
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new GatewayUnreachableError(`cannot reach ${host}:${port}: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`));
    });
  });
}

/** TLS options for a pinned gateway: only its own certificate is a trust anchor, and it must be that very certificate. */
export function pinnedSocketOptions(pin: CertificatePin): { ca: string; checkServerIdentity: (host: string, cert: tls.PeerCertificate) => Error | undefined } {
  return {
    ca: pin.pem,
    // The name is not checked: the pinned certificate is the identity (reached by IP, a tunnel, another name).
    checkServerIdentity: (_host, cert) =>
      cert.fingerprint256 === pin.fingerprint256 ? undefined : new Error(`the certificate's fingerprint ${cert.fingerprint256} is not the pinned ${pin.fingerprint256}`),
  };
}

function describeTlsError(error: Error | string | null | undefined): string {
  const text = typeof error === 'string' ? error : (error?.message ?? 'not trusted');
  switch (text) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'it is self-signed';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'it is signed by a certificate authority this machine does not know';
    case 'CERT_HAS_EXPIRED':
      return 'it has expired';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'it is not made out to this host name';
    default:
      return text;
  }
}

/**
 * What is remembered of attached gateways between sessions: their URLs and pinned
 * certificates in globalState (not secret: a fingerprint and a public certificate),
 * their tokens in SecretStorage (the OS keychain), never in settings, which sync and
 * sit in plain files.
 */
import type * as vscode from 'vscode';
import type { CertificatePin } from './certificatePin';

export interface AttachedGatewayRecord {
  url: string;
  pin?: CertificatePin;
}

const LIST_KEY = 'bifrost.attachedGateways';
const tokenKey = (url: string): string => `bifrost.gatewayToken:${url}`;

export class AttachedGatewayStore {
  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  list(): AttachedGatewayRecord[] {
    const stored = this.state.get<unknown>(LIST_KEY);
    return Array.isArray(stored) ? stored.filter(isRecord) : [];
  }

  get(url: string): AttachedGatewayRecord | undefined {
    return this.list().find((record) => record.url === url);
  }

  token(url: string): Thenable<string | undefined> {
    return this.secrets.get(tokenKey(url));
  }

  async save(record: AttachedGatewayRecord, token: string): Promise<void> {
    await this.secrets.store(tokenKey(record.url), token);
    await this.state.update(LIST_KEY, [...this.list().filter((other) => other.url !== record.url), record]);
  }

  async forget(url: string): Promise<void> {
    await this.secrets.delete(tokenKey(url));
    await this.state.update(
      LIST_KEY,
      this.list().filter((record) => record.url !== url),
    );
  }
}

function isRecord(value: unknown): value is AttachedGatewayRecord {
  if (!value || typeof value !== 'object' || !('url' in value) || typeof value.url !== 'string') return false;
  if (!('pin' in value) || value.pin === undefined) return true;
  const pin = value.pin as Partial<CertificatePin> | null;
  return typeof pin?.fingerprint256 === 'string' && typeof pin.pem === 'string';
}

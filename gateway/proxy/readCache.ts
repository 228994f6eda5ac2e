/**
 * An optional cache of read replies (function codes 1–4), keyed by upstream unit and
 * the request's bytes, each kept for the configured TTL. Any other request through
 * the proxy (a write, most likely) empties it, so a client never reads back a value
 * older than its own write.
 */
const READ_FUNCTION_CODES = new Set([1, 2, 3, 4]);

export function isCacheableRead(pdu: Buffer): boolean {
  return READ_FUNCTION_CODES.has(pdu[0]);
}

export class ReadCache {
  private readonly entries = new Map<string, { reply: Buffer; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  static key(unitId: number, pdu: Buffer): string {
    return `${unitId}:${pdu.toString('hex')}`;
  }

  get(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > performance.now()) return entry.reply;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, reply: Buffer): void {
    this.entries.set(key, { reply, expiresAt: performance.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}

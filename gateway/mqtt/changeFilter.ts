/**
 * Which readings are worth a message. With publish "change": a value whose quality,
 * error or text changed always is; a number only when it moved more than the
 * deadband from the last one published (so slow drift still gets out, once it adds
 * up); a boolean whenever it flips. With publish "scan" every reading is.
 */
import type { TagValue } from '../api/channel';

export class ChangeFilter {
  private readonly lastSent = new Map<string, TagValue>();

  constructor(
    private readonly mode: 'change' | 'scan',
    private readonly deadband: number,
  ) {}

  /** True when `reading` should be published; remembers it as sent if so. */
  admit(reading: TagValue): boolean {
    const key = tagKey(reading.device, reading.tag);
    const last = this.lastSent.get(key);
    if (this.mode === 'scan' || last === undefined || this.differs(last, reading)) {
      this.lastSent.set(key, reading);
      return true;
    }
    return false;
  }

  /** Forget a tag's last published value (its next reading goes out whatever it is). */
  forget(device: string, tag?: string): void {
    if (tag !== undefined) {
      this.lastSent.delete(tagKey(device, tag));
      return;
    }
    for (const key of this.lastSent.keys()) if (key.startsWith(`${device}\u0000`)) this.lastSent.delete(key);
  }

  private differs(last: TagValue, next: TagValue): boolean {
    if (last.quality !== next.quality || last.error !== next.error || last.text !== next.text) return true;
    if (typeof last.value === 'number' && typeof next.value === 'number') return Math.abs(next.value - last.value) > this.deadband;
    return last.value !== next.value;
  }
}

export function tagKey(device: string, tag: string): string {
  return `${device}\u0000${tag}`;
}

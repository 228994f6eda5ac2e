/**
 * Reads a PDU field by field for the frame debugger. It never throws: a read past
 * the end records one "truncated" problem and returns undefined, so a dissector can
 * run to its end on any bytes and the user still sees every field that was there.
 */
import type { FrameField } from '../../api/frames';

/** Where PDU byte `index` (and `length` bytes from it) sits in the input as given. */
export type Placement = (index: number, length: number) => { offset: number; length: number };

type Meaning<T> = (value: T) => string | undefined;

export class FieldReader {
  position = 0;
  private truncated = false;

  constructor(
    readonly pdu: Buffer,
    private readonly place: Placement,
    readonly problems: string[],
    /** Fields land here; group() swaps in a child list for a while. */
    public fields: FrameField[] = [],
  ) {}

  get remaining(): number {
    return this.pdu.length - this.position;
  }

  get isTruncated(): boolean {
    return this.truncated;
  }

  u8(name: string, meaning?: Meaning<number>): number | undefined {
    if (!this.has(1, name)) return undefined;
    const value = this.pdu[this.position];
    this.push(name, 1, value, meaning?.(value));
    return value;
  }

  u16(name: string, meaning?: Meaning<number>): number | undefined {
    if (!this.has(2, name)) return undefined;
    const value = this.pdu.readUInt16BE(this.position);
    this.push(name, 2, value, meaning?.(value));
    return value;
  }

  /** `length` bytes shown as text (identification strings) or hex. */
  raw(name: string, length: number, as: 'hex' | 'text' = 'hex', meaning?: string): Buffer | undefined {
    if (!this.has(length, name)) return undefined;
    const bytes = this.pdu.subarray(this.position, this.position + length);
    this.push(name, length, as === 'text' ? bytes.toString('latin1') : spacedHex(bytes), meaning);
    return bytes;
  }

  /** A parent field spanning whatever `body` reads; its children are the fields read inside. */
  group<T>(name: string, body: () => T, value: FrameField['value'] = null, meaning?: string): T {
    const start = this.position;
    const outer = this.fields;
    const children: FrameField[] = [];
    this.fields = children;
    const result = body();
    this.fields = outer;
    if (this.position > start || children.length > 0) {
      const field: FrameField = { ...this.place(start, this.position - start), name, value, children };
      if (meaning !== undefined) field.meaning = meaning;
      outer.push(field);
    }
    return result;
  }

  /** Whatever is left, flagged: bytes the function does not define. */
  extra(what: string): void {
    if (this.remaining <= 0 || this.truncated) return;
    this.problems.push(`${this.remaining} unexpected byte${this.remaining === 1 ? '' : 's'} after ${what}`);
    this.raw('Unexpected bytes', this.remaining);
  }

  private has(length: number, name: string): boolean {
    if (this.truncated) return false;
    if (this.remaining >= length) return true;
    this.truncated = true;
    const left = Math.max(0, this.remaining);
    this.problems.push(`truncated: ${name} needs ${length} byte${length === 1 ? '' : 's'}, only ${left} left`);
    if (left > 0) this.push(`${name} (partial)`, left, spacedHex(this.pdu.subarray(this.position)), undefined);
    return false;
  }

  private push(name: string, length: number, value: FrameField['value'], meaning: string | undefined): void {
    const field: FrameField = { ...this.place(this.position, length), name, value };
    if (meaning !== undefined) field.meaning = meaning;
    this.fields.push(field);
    this.position += length;
  }
}

export function spacedHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

export function hex16(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function hex8(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

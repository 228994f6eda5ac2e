/**
 * "What would this tag read now?": one `tag.preview` from the gateway, worded for a
 * prompt ("reads 230.1 V now", "cannot read it now: … illegal data address"). No
 * vscode import: unit-testable with a stand-in client.
 */
import type { MethodParams, MethodResult, RegisterTargetInput, TagValue } from '../../gateway/api';
import type { TagInput } from '../../gateway/api/codec/registerMap';

export interface PreviewClient {
  request(method: 'tag.preview', params: MethodParams<'tag.preview'>, options?: { timeoutMs?: number }): Promise<MethodResult<'tag.preview'>>;
}

export function describeReading(value: TagValue, unit?: string): string {
  if (value.quality !== 'good') return `cannot read it now: ${value.error ?? value.quality}`;
  const shown = value.text !== undefined && value.value === null ? JSON.stringify(value.text) : (value.text ?? String(value.value));
  const raw = value.raw && value.raw.length > 0 ? ` (raw ${value.raw.map((word) => `0x${word.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')})` : '';
  return `reads ${shown}${unit ? ` ${unit}` : ''} now${raw}`;
}

/** The preview as text; a gateway that cannot be asked is said too, never thrown. */
export async function previewText(client: PreviewClient | undefined, target: RegisterTargetInput, tag: TagInput, addressBase?: 0 | 1): Promise<string> {
  if (!client) return 'no preview: the gateway is not running';
  try {
    const value = await client.request('tag.preview', { target, tag, ...(addressBase === undefined ? {} : { addressBase }) }, { timeoutMs: 10_000 });
    return describeReading(value, tag.unit);
  } catch (error) {
    return `no preview: ${(error as Error).message}`;
  }
}

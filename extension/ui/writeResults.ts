/**
 * The gateway's answers to `tag.encodeWrite` and `tag.write` (gateway/api/operations.ts)
 * as the Tag Watch panel shows them. No vscode import: unit-testable.
 */
import type { MethodResult } from '../../gateway/api';
import type { WriteOutcome, WritePreview } from '../../webviews/tagWatch/protocol';

/** "0106002800FA" → "01 06 00 28 00 FA"; anything that is not plain hex is shown as is. */
export function spacedHex(text: string): string {
  const compact = text.replace(/[\s:]/g, '');
  if (compact.length === 0 || !/^([0-9a-f]{2})+$/i.test(compact)) return text;
  return compact.toUpperCase().match(/../g)!.join(' ');
}

export function describeEncodedWrite(result: MethodResult<'tag.encodeWrite'>): WritePreview {
  return { frameHex: spacedHex(result.frame), summary: result.description };
}

export function describeWriteOutcome(result: MethodResult<'tag.write'>): WriteOutcome {
  return { readBack: result.readBack, summary: result.description };
}

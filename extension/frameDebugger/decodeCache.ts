/**
 * The decoder's answers, remembered by the bytes they were for. A hidden panel's page is
 * discarded and rebuilt when shown again, and asks for every visible row's summary once
 * more: answered from here, it needs no round trip, and it keeps its summaries while
 * the gateway (whose decoder it is) is away. No vscode import: unit-tested in Node.
 */
import type { DecodedFrame, FrameDecodeParams } from '../../gateway/api';

export class DecodeCache {
  private readonly answers = new Map<string, DecodedFrame>();

  /** `limit`: the most frames remembered, the ring's capacity (the oldest are forgotten first). */
  constructor(private readonly limit: number) {}

  async decode(params: FrameDecodeParams, ask: () => Promise<DecodedFrame>): Promise<DecodedFrame> {
    const key = `${params.framing} ${params.direction ?? 'unknown'} ${params.hex ?? ''}|${params.base64 ?? ''}|${params.text ?? ''}`;
    const known = this.answers.get(key);
    if (known) return known;
    const answer = await ask();
    this.answers.set(key, answer);
    if (this.answers.size > this.limit) this.answers.delete(this.answers.keys().next().value as string);
    return answer;
  }
}

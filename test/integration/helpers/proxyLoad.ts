/**
 * Proxy clients that never stop asking, each for registers of its own whose values
 * the test wrote first (unique per register), so any reply that went to the wrong
 * client or answered the wrong request is counted as a mismatch. Every reply is
 * kept with its time, so a test can look at what happened during one fault.
 */
import { MbapClient, readHolding } from './mbapClient';
import { within } from './wait';

export interface ClientReply {
  at: number;
  kind: 'ok' | 'mismatch' | 'exception' | 'unanswered';
  /** The exception code, for kind "exception". */
  code?: number;
  detail?: string;
}

export class LoadedClient {
  readonly replies: ClientReply[] = [];
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    readonly client: MbapClient,
    /** First of the two registers this client reads; their values are `valueAt(address)`. */
    readonly address: number,
    private readonly valueAt: (address: number) => number,
    /** The most a reply may take: past it, the proxy failed to answer at all. */
    private readonly replyDeadlineMs: number,
    /** The client's poll interval: the time from a reply to its next request. */
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  since(at: number): ClientReply[] {
    return this.replies.filter((reply) => reply.at >= at);
  }

  private async loop(): Promise<void> {
    const expected = [this.valueAt(this.address), this.valueAt(this.address + 1)];
    while (!this.stopped) {
      try {
        const reply = await within(this.client.request(1, readHolding(this.address, 2)), this.replyDeadlineMs, `the proxy's reply to ${this.address}`);
        const at = performance.now();
        if (reply.pdu[0] === 0x83 && reply.pdu.length === 2) this.replies.push({ at, kind: 'exception', code: reply.pdu[1] });
        else {
          const values = reply.pdu.length === 6 && reply.pdu[0] === 3 ? [reply.pdu.readUInt16BE(2), reply.pdu.readUInt16BE(4)] : [];
          const ok = values.length === 2 && values[0] === expected[0] && values[1] === expected[1];
          this.replies.push(ok ? { at, kind: 'ok' } : { at, kind: 'mismatch', detail: `HR:${this.address} read ${reply.pdu.toString('hex')}, expected ${expected.join(', ')}` });
        }
      } catch (error) {
        this.replies.push({ at: performance.now(), kind: 'unanswered', detail: (error as Error).message });
        return;
      }
      // The poll interval of a client, not a wait for a condition.
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}

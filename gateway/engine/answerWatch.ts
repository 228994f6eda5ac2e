/**
 * Whether the device answers, seen from its session: every exchange on a connection
 * ends in a reply (a normal response, an exception, even a malformed one: the device
 * is talking) or in a timeout (nothing came). A connection can stay open while the
 * device behind it is silent (a hung server slot, a stale NAT entry); this is what
 * tells the two apart, for the device's state and for the capture.
 *
 * The wrapper hands back the connection's own promise: it watches the outcome
 * beside the caller, and adds no hop to the request's path.
 */
import { ModbusError, TimeoutError } from '../protocol/errors';
import { frameTimestamp, type FrameHook } from '../transport/frames';
import type { Connection, Exchange, ExchangeResponse } from './connection';

export interface AnswerListener {
  /** The device answered something (a response, an exception, a malformed reply). */
  answered(): void;
  /** Nothing came within the request's timeout. */
  timedOut(exchange: Exchange, error: TimeoutError): void;
  /** Every exchange, once it ended: how, and how long it took (metrics listen here). */
  settled?(exchange: Exchange, outcome: ExchangeOutcome, elapsedMs: number): void;
}

/** How one request ended: a reply, an exception reply, no reply in time, or anything else (bad frame, link lost). */
export type ExchangeOutcome = 'ok' | 'exception' | 'timeout' | 'error';

function outcomeOf(error: unknown): ExchangeOutcome {
  if (!(error instanceof ModbusError)) return 'error';
  if (error.code === 'exception') return 'exception';
  if (error.code === 'timeout') return 'timeout';
  return 'error';
}

/**
 * `connection`, reporting every answer and every timeout to `listener`, and marking each
 * unanswered request in the capture with an empty rx frame ("no reply within N ms"), so a
 * frame list shows the silence where the reply should be.
 */
export function watchAnswers(connection: Connection, device: string, listener: AnswerListener, onFrame?: FrameHook): Connection {
  const answered = () => listener.answered();
  return {
    get name() {
      return connection.name;
    },
    get staleReplies() {
      return connection.staleReplies;
    },
    close: (reason) => connection.close(reason),
    onLost: (lost) => connection.onLost(lost),
    exchange(exchange: Exchange): Promise<ExchangeResponse> {
      const startedAt = listener.settled ? performance.now() : 0;
      const result = connection.exchange(exchange);
      if (listener.settled) {
        const settled = listener.settled.bind(listener);
        result.then(
          () => settled(exchange, 'ok', performance.now() - startedAt),
          (error: unknown) => settled(exchange, outcomeOf(error), performance.now() - startedAt),
        );
      }
      result.then(answered, (error: unknown) => {
        if (error instanceof TimeoutError) {
          onFrame?.(noReplyMarker(connection.name, device, exchange));
          listener.timedOut(exchange, error);
        } else if (error instanceof ModbusError && (error.code === 'exception' || error.code === 'badFrame')) {
          answered();
        }
      });
      return result;
    },
  };
}

function noReplyMarker(link: string, device: string, exchange: Exchange) {
  return {
    direction: 'rx' as const,
    timestamp: frameTimestamp(),
    bytes: Buffer.alloc(0),
    link,
    device,
    unitId: exchange.unitId,
    note: `no reply within ${exchange.timeoutMs} ms`,
    ...(exchange.correlation === undefined ? {} : { correlation: exchange.correlation }),
  };
}

/**
 * The one retry policy of a device's requests, the engine's own and a proxy's: after
 * a timeout, and only then, the same request goes again, up to `retries` more times.
 * Any other outcome is the answer: a reply, the device's exception, a reply that does
 * not match, a closed connection. Each attempt takes the connection as it is then,
 * so one that came back in between carries the next try; none at all is a
 * ConnectionClosedError, unsent. Callers keep writes out (a timeout says nothing of
 * whether the device acted on one).
 */
import { ConnectionClosedError, TimeoutError } from '../protocol/errors';
import type { Connection, Exchange, ExchangeResponse } from './connection';
import type { Logger } from './logger';

export interface RetryPolicy {
  /** Extra attempts after a timeout. */
  retries: number;
  device: string;
  logger: Logger;
  /** Why the link is down, for the error when there is no connection to try on. */
  closedReason: () => string | undefined;
}

export async function exchangeWithRetries(exchange: Exchange, connection: () => Connection | undefined, policy: RetryPolicy): Promise<ExchangeResponse> {
  for (let attempt = 0; ; attempt++) {
    const current = connection();
    if (!current) throw new ConnectionClosedError(exchange.context, { wasSent: false, reason: policy.closedReason() });
    try {
      return await current.exchange(exchange);
    } catch (error) {
      if (!(error instanceof TimeoutError) || attempt >= policy.retries) throw error;
      policy.logger.log('debug', `${error.message}; retrying (${attempt + 1} of ${policy.retries})`, policy.device);
    }
  }
}

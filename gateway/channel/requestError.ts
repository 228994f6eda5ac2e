/** An error a method handler answers with a specific channel ErrorCode. */
import type { ErrorCode } from '../api/channel';

export class ChannelRequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChannelRequestError';
  }
}

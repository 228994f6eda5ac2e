/**
 * A one-shot command (read, write, scan, validate) that ran but failed: the device
 * refused or did not answer, or the file has problems. Exit code 1, the message on
 * stderr; with --json also `{"error": {...}}` on stdout, so a script reads one shape.
 */
export class CommandFailedError extends Error {
  readonly code = 'command_failed';

  constructor(
    message: string,
    /** Print the error as JSON on stdout too (the command ran with --json). */
    readonly json: boolean,
    /** What a script can branch on: the kind of failure, the Modbus exception code. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CommandFailedError';
  }
}

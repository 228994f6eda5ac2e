/** The gateway could not start (port in use, bad config file): reported as-is, exit code 1. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

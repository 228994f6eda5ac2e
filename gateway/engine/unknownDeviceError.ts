/** A request named a device the applied config does not have. */
export class UnknownDeviceError extends Error {
  constructor(readonly device: string) {
    super(`no device named "${device}"`);
    this.name = 'UnknownDeviceError';
  }
}

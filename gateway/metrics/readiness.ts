/**
 * /readyz: the configuration is loaded and every enabled device has been tried once
 * (its first connect ended, either way). A gateway whose devices are all down is
 * ready: it is doing its job, reporting them down; one still on its first attempts
 * is not, so a rollout waits for it before sending traffic or alerts its way.
 */
import type { DeviceSnapshot, DeviceStatus } from '../api/channel';

/** States a device reaches only after its first connect attempt ended. */
const TRIED: ReadonlySet<DeviceStatus['state']> = new Set(['connected', 'notAnswering', 'error']);

export type Readiness = { ready: true } | { ready: false; why: string };

export class ReadinessTracker {
  private configLoaded = false;
  private readonly tried = new Set<string>();

  /** A device reported a state: after the first attempt, it stays tried. */
  noteStatus(status: DeviceStatus): void {
    if (TRIED.has(status.state)) this.tried.add(status.device);
  }

  noteConfigLoaded(): void {
    this.configLoaded = true;
  }

  check(devices: readonly DeviceSnapshot[], enabled: (device: string) => boolean): Readiness {
    if (!this.configLoaded) return { ready: false, why: 'the configuration is not applied yet' };
    for (const device of devices) this.noteStatus(device.status);
    const waiting = devices.filter((device) => enabled(device.name) && !this.tried.has(device.name)).map((device) => device.name);
    if (waiting.length > 0) return { ready: false, why: `not tried yet: ${waiting.join(', ')}` };
    return { ready: true };
  }
}

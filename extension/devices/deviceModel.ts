/**
 * What the extension knows about the gateway's devices: the last snapshot, kept
 * current by status and value events. Plain data, no vscode; the tree reads it and
 * decides when to repaint.
 */
import type { DeviceSnapshot, DeviceStatus, TagReadTick, TagSummary, TagValue } from '../../gateway/api';

export interface DeviceEntry {
  snapshot: DeviceSnapshot;
  /** Tags by name, for O(1) value updates; the same objects as in `snapshot.tags`. */
  tags: Map<string, TagSummary>;
}

export class DeviceModel {
  private entries = new Map<string, DeviceEntry>();

  /** Replaces everything, in the gateway's order. */
  replace(devices: readonly DeviceSnapshot[]): void {
    const next = new Map<string, DeviceEntry>();
    for (const device of devices) {
      // Copy: the model mutates tag values in place and must not touch the caller's data.
      const snapshot: DeviceSnapshot = { ...device, status: { ...device.status }, tags: device.tags.map((tag) => ({ ...tag })) };
      next.set(device.name, { snapshot, tags: new Map(snapshot.tags.map((tag) => [tag.name, tag])) });
    }
    this.entries = next;
  }

  clear(): void {
    this.entries = new Map();
  }

  devices(): DeviceSnapshot[] {
    return [...this.entries.values()].map((entry) => entry.snapshot);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  get(name: string): DeviceSnapshot | undefined {
    return this.entries.get(name)?.snapshot;
  }

  tag(device: string, tag: string): TagSummary | undefined {
    return this.entries.get(device)?.tags.get(tag);
  }

  /** Returns whether the device is known (a status for a device we have not seen yet is dropped). */
  applyStatus(status: DeviceStatus): boolean {
    const entry = this.entries.get(status.device);
    if (!entry) return false;
    entry.snapshot.status = status;
    return true;
  }

  /** Stores values and returns the tags they touched, as `[device, tag]` pairs. */
  applyValues(values: readonly TagValue[]): Array<[device: string, tag: string]> {
    const touched: Array<[string, string]> = [];
    for (const value of values) {
      const tag = this.entries.get(value.device)?.tags.get(value.tag);
      if (!tag) continue;
      // Out-of-order batches must not roll a value back.
      if (tag.value && tag.value.ts > value.ts) continue;
      tag.value = value;
      touched.push([value.device, value.tag]);
    }
    return touched;
  }

  /**
   * A completed scan: every good tag of the device read at that period moves its
   * read time on; its value and the time it last changed stay. Returns how many
   * tags moved.
   */
  applyRead(tick: TagReadTick): number {
    const entry = this.entries.get(tick.device);
    if (!entry) return 0;
    let moved = 0;
    for (const tag of entry.tags.values()) {
      const value = tag.value;
      if (!value || value.quality !== 'good' || value.ts >= tick.at) continue;
      if ((tag.scanMs ?? entry.snapshot.pollMs) !== tick.scanMs) continue;
      tag.value = { ...value, ts: tick.at, changedAt: value.changedAt ?? value.ts };
      moved++;
    }
    return moved;
  }

  /** Devices that are connected and answering: "not answering" is connected but not OK. */
  get connectedCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.snapshot.status.state === 'connected') count++;
    return count;
  }

  /** Devices whose connection is open but that do not reply within their timeout. */
  get notAnsweringCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.snapshot.status.state === 'notAnswering') count++;
    return count;
  }

  get size(): number {
    return this.entries.size;
  }
}

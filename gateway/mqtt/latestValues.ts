/**
 * The latest reading of every tag of every device, and each tag's scan period, kept
 * from the engine's snapshot and its `values` events: what a reconnect republishes,
 * what a Sparkplug birth carries, and what publish "scan" sends at each scan.
 */
import type { DeviceSnapshot, TagValue } from '../api/channel';
import type { Tag } from '../api/config';
import type { Engine } from '../engine/engine';

export interface TrackedTag {
  name: string;
  /** The tag as configured (type, scale, offset). */
  config: Tag;
  scanMs: number;
  value?: TagValue;
}

export class LatestValues {
  private readonly devices = new Map<string, Map<string, TrackedTag>>();

  constructor(private readonly engine: Engine) {}

  /** Take the engine's devices and tags as they are now (at start, and after every apply). */
  sync(snapshot: DeviceSnapshot[] = this.engine.snapshot()): void {
    const next = new Map<string, Map<string, TrackedTag>>();
    for (const device of snapshot) {
      const known = this.devices.get(device.name);
      const configs = new Map(this.engine.deviceConfig(device.name).tags.map((tag) => [tag.name, tag]));
      const tags = new Map<string, TrackedTag>();
      for (const tag of device.tags) {
        const config = configs.get(tag.name);
        if (!config) continue;
        tags.set(tag.name, { name: tag.name, config, scanMs: tag.scanMs ?? device.pollMs, value: tag.value ?? known?.get(tag.name)?.value });
      }
      next.set(device.name, tags);
    }
    this.devices.clear();
    for (const [name, tags] of next) this.devices.set(name, tags);
  }

  /** Record readings; returns those of tags still configured. */
  update(values: readonly TagValue[]): TagValue[] {
    const kept: TagValue[] = [];
    for (const value of values) {
      const tag = this.devices.get(value.device)?.get(value.tag);
      if (!tag) continue;
      tag.value = value;
      kept.push(value);
    }
    return kept;
  }

  deviceNames(): string[] {
    return [...this.devices.keys()];
  }

  tags(device: string): TrackedTag[] {
    return [...(this.devices.get(device)?.values() ?? [])];
  }

  tag(device: string, tag: string): TrackedTag | undefined {
    return this.devices.get(device)?.get(tag);
  }

  /** Every tag's latest reading, device by device. */
  *all(): Iterable<TagValue> {
    for (const tags of this.devices.values()) for (const tag of tags.values()) if (tag.value) yield tag.value;
  }

  /**
   * The readings a completed scan of `scanMs` stands for: each tag of that period
   * with its latest value, a good one timed at the scan (it was read then).
   */
  scanned(device: string, scanMs: number, at: number): TagValue[] {
    const out: TagValue[] = [];
    for (const tag of this.devices.get(device)?.values() ?? []) {
      if (tag.scanMs !== scanMs || !tag.value) continue;
      if (tag.value.quality === 'good' && tag.value.ts < at) tag.value = { ...tag.value, ts: at };
      out.push(tag.value);
    }
    return out;
  }
}

/**
 * What discovery found, kept for the Devices view's "Discovered" section, and how
 * a found unit reads and becomes a device. No vscode import: unit-tested in Node.
 */
import { DEFAULT_POLL_MS, type DeviceInput, type DiscoveredUnit } from '../../gateway/api';
import type { TransportInput } from '../ui/transportSteps';

export interface FoundUnit {
  /** Stable across rescans of the same link: the tree's node id. */
  readonly key: string;
  readonly transport: TransportInput;
  readonly unit: DiscoveredUnit;
}

/** `tcp://10.0.0.5:502`, `rtu:///dev/ttyUSB0@9600 even`, `demo`: where a scan looked. */
export function transportLabel(transport: TransportInput): string {
  switch (transport.kind) {
    case 'tcp':
    case 'rtutcp':
      return `${transport.kind}://${transport.host}:${transport.port ?? 502}`;
    case 'rtu':
    case 'ascii':
      return `${transport.kind}://${transport.path}@${transport.baudRate ?? 9600} ${transport.parity ?? 'even'}`;
    case 'demo':
      return 'demo';
  }
}

/** The link a transport names, ignoring line settings: one scan of it replaces the last. */
function linkKey(transport: TransportInput): string {
  switch (transport.kind) {
    case 'tcp':
    case 'rtutcp':
      return `${transport.kind}://${transport.host}:${transport.port ?? 502}`;
    case 'rtu':
    case 'ascii':
      return `${transport.kind}://${transport.path}`;
    case 'demo':
      return 'demo';
  }
}

/** "Schneider Electric TM221CE24R v1.3" from the identification, or undefined. */
export function identificationText(unit: DiscoveredUnit): string | undefined {
  const id = unit.identification;
  if (!id) return undefined;
  const text = [id.vendorName, id.productCode, id.revision && `v${id.revision.replace(/^v/i, '')}`].filter(Boolean).join(' ');
  return text === '' ? undefined : text;
}

/** One line about a unit, for pickers and the tree: identification, server id, or what it answered. */
export function describeUnit(unit: DiscoveredUnit): string {
  const parts: string[] = [];
  const identification = identificationText(unit);
  if (identification) parts.push(identification);
  if (unit.serverId) parts.push(`server id ${unit.serverId.id}${unit.serverId.running ? '' : ' (stopped)'}`);
  if (parts.length === 0) parts.push(unit.answers[0] ?? 'answers');
  return parts.join(' · ');
}

const NAME_MAX = 64;

/**
 * A device name the config accepts (letters, digits, space, `_ - .`; at most 64)
 * and no other device has: "TM221CE24R unit 5", "Unit 5", then "Unit 5 2", …
 */
export function deviceNameFor(unit: DiscoveredUnit, taken: ReadonlySet<string>): string {
  const id = unit.identification;
  const product = (id?.productCode ?? id?.vendorName ?? '').replace(/[^A-Za-z0-9_. -]+/g, '-').replace(/^[^A-Za-z0-9_]+/, '').trim();
  const suffix = `unit ${unit.unitId}`;
  const base = product === '' ? `Unit ${unit.unitId}` : `${product.slice(0, NAME_MAX - suffix.length - 1).trim()} ${suffix}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, NAME_MAX - String(n).length - 1)} ${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The bifrost.json entry for a found unit: its link and unit id, no tags yet. */
export function deviceFor(found: FoundUnit, taken: ReadonlySet<string>): DeviceInput {
  return { name: deviceNameFor(found.unit, taken), transport: found.transport, unitId: found.unit.unitId, pollMs: DEFAULT_POLL_MS, tags: [] };
}

/** Devices for several found units, each name unique against `taken` and the others. */
export function devicesFor(found: readonly FoundUnit[], taken: Iterable<string>): DeviceInput[] {
  const names = new Set(taken);
  return found.map((entry) => {
    const device = deviceFor(entry, names);
    names.add(device.name);
    return device;
  });
}

/** The found units, newest scan of each link last; a rescan of a link replaces its entries. */
export class DiscoveredUnits {
  private entries: FoundUnit[] = [];
  private readonly listeners = new Set<() => void>();

  get size(): number {
    return this.entries.length;
  }

  all(): readonly FoundUnit[] {
    return this.entries;
  }

  get(key: string): FoundUnit | undefined {
    return this.entries.find((entry) => entry.key === key);
  }

  /** The results of one scan of `transport`: they replace what an earlier scan of that link found. */
  replaceScan(transport: TransportInput, units: readonly DiscoveredUnit[]): FoundUnit[] {
    const link = linkKey(transport);
    const found = units.map((unit) => ({ key: `${link}#${unit.unitId}`, transport, unit }));
    this.entries = [...this.entries.filter((entry) => !entry.key.startsWith(`${link}#`)), ...found];
    this.changed();
    return found;
  }

  remove(keys: Iterable<string>): void {
    const gone = new Set(keys);
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => !gone.has(entry.key));
    if (this.entries.length !== before) this.changed();
  }

  clear(): void {
    if (this.entries.length === 0) return;
    this.entries = [];
    this.changed();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * Text edits to `bifrost.json` that keep everything the user wrote: their
 * formatting, key order, and devices we do not touch. jsonc-parser finds the
 * places; the edits are minimal insertions and deletions, applied by the caller
 * as a WorkspaceEdit (undoable, respects an open editor) or to a string. No vscode.
 */
import { findNodeAtLocation, getNodeValue, modify, parseTree, type Edit, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import type { BifrostConfigInput, DeviceInput, ProxyDefinitionInput, WatchListInput } from '../../gateway/api';

export type { Edit } from 'jsonc-parser';

export const DEFAULT_FORMATTING: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

export type EditResult = { ok: true; edits: Edit[] } | { ok: false; error: string };

/** The whole file for a new `bifrost.json`, pretty-printed the way people write it. */
export function configFileText(config: BifrostConfigInput): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Guesses the file's indentation so inserted text matches what is there. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (!indent) return { ...DEFAULT_FORMATTING, eol };
  if (indent.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: indent.length, eol };
}

/** The top-level arrays these edits append to. */
type ArrayKey = 'devices' | 'proxies' | 'watches';

interface Existing {
  /** The `devices` array, when the file has one. */
  array: Node | undefined;
  devices: unknown[];
}

function parseExisting(text: string, key: ArrayKey = 'devices'): ({ ok: true } & Existing) | { ok: false; error: string } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !root) return { ok: false, error: 'bifrost.json is not valid JSON; fix it first' };
  if (root.type !== 'object') return { ok: false, error: 'bifrost.json must hold a JSON object' };
  const array = findNodeAtLocation(root, [key]);
  if (!array) return { ok: true, array: undefined, devices: [] };
  const devices: unknown = getNodeValue(array);
  if (array.type !== 'array' || !Array.isArray(devices)) return { ok: false, error: `"${key}" in bifrost.json is not an array` };
  return { ok: true, array, devices };
}

function deviceNames(devices: unknown[]): string[] {
  return devices.map((device) =>
    device && typeof device === 'object' && typeof (device as { name?: unknown }).name === 'string' ? (device as { name: string }).name : '',
  );
}

/**
 * Appends a device to `devices`, creating the array when the file has none.
 *
 * jsonc-parser's own insertion reformats the whole line it touches, which turns a
 * neighbour written on one line into ten; so after an existing element the new one
 * is written by hand: on its own line with the same indentation when the elements
 * stand one per line, compact after a comma when they share a line.
 */
export function addDeviceEdits(text: string, device: DeviceInput): EditResult {
  const existing = parseExisting(text);
  if (!existing.ok) return existing;
  if (deviceNames(existing.devices).includes(device.name)) {
    return { ok: false, error: `a device named "${device.name}" is already in bifrost.json` };
  }
  return appendEdits(text, 'devices', existing.array, device);
}

/** Appends `value` to the array `key` (created when missing), matching the layout of its last element. */
function appendEdits(text: string, key: ArrayKey, array: Node | undefined, value: unknown): EditResult {
  const formattingOptions = detectFormatting(text);
  const last = array?.children?.at(-1);
  if (!last) return { ok: true, edits: modify(text, [key, -1], value, { formattingOptions }) };
  const end = last.offset + last.length;
  const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = text.slice(lineStart, last.offset);
  if (!/^[ \t]*$/.test(indent)) return { ok: true, edits: [{ offset: end, length: 0, content: `, ${JSON.stringify(value)}` }] };
  const eol = formattingOptions.eol ?? '\n';
  const unit = formattingOptions.insertSpaces ? ' '.repeat(formattingOptions.tabSize ?? 2) : '\t';
  const body = JSON.stringify(value, null, unit).split('\n').join(eol + indent);
  return { ok: true, edits: [{ offset: end, length: 0, content: `,${eol}${indent}${body}` }] };
}

/** Appends a proxy to `proxies`, creating the array when the file has none; same layout rules as devices. */
export function addProxyEdits(text: string, proxy: ProxyDefinitionInput): EditResult {
  const existing = parseExisting(text, 'proxies');
  if (!existing.ok) return existing;
  if (deviceNames(existing.devices).includes(proxy.name)) {
    return { ok: false, error: `a proxy named "${proxy.name}" is already in bifrost.json` };
  }
  return appendEdits(text, 'proxies', existing.array, proxy);
}

/** Appends a saved watch list to `watches`, creating the array when the file has none. */
export function addWatchListEdits(text: string, watch: WatchListInput): EditResult {
  const existing = parseExisting(text, 'watches');
  if (!existing.ok) return existing;
  if (deviceNames(existing.devices).includes(watch.name)) {
    return { ok: false, error: `a watch list named "${watch.name}" is already in bifrost.json` };
  }
  return appendEdits(text, 'watches', existing.array, watch);
}

/** The names of the proxies in the file as written, for uniqueness checks. */
export function proxyNamesInText(text: string): string[] {
  const existing = parseExisting(text, 'proxies');
  return existing.ok ? deviceNames(existing.devices).filter((name) => name !== '') : [];
}

/** Removes the device with this name, with its comma, leaving every other byte as written. */
export function removeDeviceEdits(text: string, name: string): EditResult {
  const existing = parseExisting(text);
  if (!existing.ok) return existing;
  const position = deviceNames(existing.devices).indexOf(name);
  const elements = existing.array?.children ?? [];
  const element = elements[position];
  if (position < 0 || !element || !existing.array) return { ok: false, error: `no device named "${name}" in bifrost.json` };
  let start: number;
  let end: number;
  if (elements.length === 1) {
    // The only one: leave `[]`.
    start = existing.array.offset + 1;
    end = existing.array.offset + existing.array.length - 1;
  } else if (position > 0) {
    // From the end of the one before: takes the comma and this element's line.
    const previous = elements[position - 1];
    start = previous.offset + previous.length;
    end = element.offset + element.length;
  } else {
    // The first of several: up to the next one, which takes its place and indentation.
    start = element.offset;
    end = elements[1].offset;
  }
  return { ok: true, edits: [{ offset: start, length: end - start, content: '' }] };
}

/** The names of the devices in the file as written (valid or not), for uniqueness checks. */
export function deviceNamesInText(text: string): string[] {
  const existing = parseExisting(text);
  return existing.ok ? deviceNames(existing.devices).filter((name) => name !== '') : [];
}

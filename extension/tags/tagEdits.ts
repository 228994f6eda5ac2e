/**
 * Text edits to `bifrost.json` for tags and saved Registers views: add tags to a
 * device, replace one, remove one, add a device with its tags, append a view. Minimal
 * edits found with jsonc-parser, so the rest of the file stays as the user wrote it.
 * No vscode: unit-tested.
 */
import { findNodeAtLocation, getNodeValue, modify, parseTree, type Node } from 'jsonc-parser';
import type { RegisterViewInput } from '../../gateway/api';
import type { TagInput } from '../../gateway/api/codec/registerMap';
import { detectFormatting, type EditResult } from '../config/configEdits';

function root(text: string): Node | { error: string } {
  const errors: unknown[] = [];
  const tree = parseTree(text, errors as never, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) return { error: 'bifrost.json is not valid JSON; fix it first' };
  if (tree.type !== 'object') return { error: 'bifrost.json must hold a JSON object' };
  return tree;
}

interface DeviceAt {
  index: number;
  tags: { name: string }[];
}

function findDevice(tree: Node, device: string): DeviceAt | undefined {
  const devices = findNodeAtLocation(tree, ['devices']);
  const list: unknown = devices ? getNodeValue(devices) : undefined;
  if (!Array.isArray(list)) return undefined;
  const index = list.findIndex((entry) => entry && typeof entry === 'object' && (entry as { name?: unknown }).name === device);
  if (index < 0) return undefined;
  const tags = (list[index] as { tags?: unknown }).tags;
  return { index, tags: Array.isArray(tags) ? tags.filter((t): t is { name: string } => t && typeof t === 'object' && typeof t.name === 'string') : [] };
}

function located(text: string, device: string): { tree: Node; at: DeviceAt } | { error: string } {
  const tree = root(text);
  if ('error' in tree) return tree;
  const at = findDevice(tree, device);
  if (!at) return { error: `no device named "${device}" in bifrost.json` };
  return { tree, at };
}

/** Appends tags to the device's `tags` (created when missing); a name already there is refused. */
export function addTagsEdits(text: string, device: string, tags: readonly TagInput[]): EditResult {
  const found = located(text, device);
  if ('error' in found) return { ok: false, error: found.error };
  const names = new Set(found.at.tags.map((tag) => tag.name));
  for (const tag of tags) {
    if (names.has(tag.name)) return { ok: false, error: `${device} already has a tag named "${tag.name}"` };
    names.add(tag.name);
  }
  const formattingOptions = detectFormatting(text);
  if (found.at.tags.length === 0) {
    return { ok: true, edits: modify(text, ['devices', found.at.index, 'tags'], tags, { formattingOptions }) };
  }
  // One edit per tag, each against the text as the previous ones left it, merged into one.
  let current = text;
  for (const tag of tags) current = applyAll(current, modify(current, ['devices', found.at.index, 'tags', -1], tag, { formattingOptions }));
  return { ok: true, edits: [{ offset: 0, length: text.length, content: current }] };
}

/** Replaces the tag named `name` with `tag` (which may carry a new name). */
export function replaceTagEdits(text: string, device: string, name: string, tag: TagInput): EditResult {
  const found = located(text, device);
  if ('error' in found) return { ok: false, error: found.error };
  const index = found.at.tags.findIndex((t) => t.name === name);
  if (index < 0) return { ok: false, error: `${device} has no tag named "${name}" in bifrost.json` };
  if (tag.name !== name && found.at.tags.some((t) => t.name === tag.name)) return { ok: false, error: `${device} already has a tag named "${tag.name}"` };
  return { ok: true, edits: modify(text, ['devices', found.at.index, 'tags', index], tag, { formattingOptions: detectFormatting(text) }) };
}

export function removeTagEdits(text: string, device: string, name: string): EditResult {
  const found = located(text, device);
  if ('error' in found) return { ok: false, error: found.error };
  const index = found.at.tags.findIndex((t) => t.name === name);
  if (index < 0) return { ok: false, error: `${device} has no tag named "${name}" in bifrost.json` };
  return { ok: true, edits: modify(text, ['devices', found.at.index, 'tags', index], undefined, { formattingOptions: detectFormatting(text) }) };
}

export function addRegisterViewEdits(text: string, view: RegisterViewInput): EditResult {
  const tree = root(text);
  if ('error' in tree) return { ok: false, error: tree.error };
  const views = findNodeAtLocation(tree, ['registerViews']);
  const list: unknown = views ? getNodeValue(views) : [];
  if (Array.isArray(list) && list.some((entry) => entry && typeof entry === 'object' && (entry as { name?: unknown }).name === view.name)) {
    return { ok: false, error: `a view named "${view.name}" is already in bifrost.json` };
  }
  return { ok: true, edits: modify(text, ['registerViews', -1], view, { formattingOptions: detectFormatting(text) }) };
}

/** Names of a device's tags as written in the file. */
export function tagNamesInText(text: string, device: string): string[] {
  const found = located(text, device);
  return 'error' in found ? [] : found.at.tags.map((tag) => tag.name);
}

function applyAll(text: string, edits: readonly { offset: number; length: number; content: string }[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) result = result.slice(0, edit.offset) + edit.content + result.slice(edit.offset + edit.length);
  return result;
}

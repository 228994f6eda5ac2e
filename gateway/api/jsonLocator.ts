/**
 * Finds where in the text of `bifrost.json` a problem is, so a diagnostic underlines
 * the offending value rather than the whole file. No vscode: offsets and
 * line/character positions only, turned into a `Range` by the caller. Pure (the tree
 * comes from jsonTree.ts, not a parser library), so it belongs to the contract: the
 * inverse of `formatPath`, used by the CLI's `validate` and the editor's diagnostics.
 */
import { findJsonNode, parseJsonTree, type JsonNode } from './jsonTree';

export interface TextPosition {
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

export type PathSegment = string | number;

/**
 * Splits the contract's path text (`devices[0].tags[2].address`, see `formatPath`)
 * back into segments. The schema's keys are plain identifiers, so dots and brackets
 * only ever separate.
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  for (const match of path.matchAll(pattern)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return segments;
}

/** Offsets → line/character, by a sorted table of line starts. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x0a) this.lineStarts.push(i + 1);
      else if (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.lineStarts.push(i + 1);
    }
  }

  positionAt(offset: number): TextPosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  range(offset: number, length: number): TextRange {
    return { start: this.positionAt(offset), end: this.positionAt(offset + length) };
  }
}

/**
 * The range a problem at `path` should underline:
 * - a value that exists: the value itself, except objects and arrays, which would
 *   underline many lines: there, the property name that holds them (or their
 *   opening bracket inside an array or at the top level);
 * - a path that does not exist (a required key is missing): the nearest ancestor
 *   that does, by the same rule;
 * - an unknown key (zod names only the object, `message` names the key): the key;
 * - JSON that does not parse: the first syntax error, whatever the path.
 */
export function locateJsonPath(text: string, path: string, message = ''): TextRange {
  const index = new LineIndex(text);
  const tree = parseJsonTree(text);
  if (tree.error) return index.range(tree.error.offset, Math.max(1, tree.error.length));
  const root = tree.root;
  const segments = parsePath(path);
  // zod reports unknown keys on the object that holds them; the key is only in the
  // message (`Unrecognized keys: "foo", "bar"`). Underline the first one by name.
  const unknownKey = /^(?:Unrecognized keys?:|unknown fields?) "([^"]+)"/.exec(message)?.[1];
  if (unknownKey !== undefined) {
    const value = findJsonNode(root, [...segments, unknownKey]);
    const key = value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
    if (key) return index.range(key.offset, key.length);
  }
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = findJsonNode(root, segments.slice(0, depth));
    if (node) return rangeOfNode(node, index);
  }
  return index.range(0, 0);
}

function rangeOfNode(node: JsonNode, index: LineIndex): TextRange {
  if (node.type !== 'object' && node.type !== 'array') return index.range(node.offset, node.length);
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0]) {
    const key = parent.children[0];
    return index.range(key.offset, key.length);
  }
  return index.range(node.offset, 1);
}

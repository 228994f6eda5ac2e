/**
 * "Did you mean" for an unknown field in bifrost.json: the names the schema allows at
 * that place (read from its JSON schema, so they never drift from what is accepted),
 * and the one a typo most likely meant ("deadbnad" → "deadband", "writeback" →
 * "writeBack", "baud" → "baudRate"). Pure: no I/O, no vscode.
 */

/** The parts of a JSON schema (as zod writes it) read here. */
interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

/** A node and every branch of its unions: a transport's fields are those of all its kinds. */
function branches(node: SchemaNode): SchemaNode[] {
  return [node, ...[...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])].flatMap(branches)];
}

/** The field names the schema allows in the object at `path` (e.g. ["mqtt"], ["devices", 0]). */
export function fieldNamesAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let nodes = branches(schema as SchemaNode);
  for (const part of path) {
    nodes = nodes
      .flatMap((node) => (typeof part === 'number' ? (node.items ? [node.items] : []) : node.properties && Object.hasOwn(node.properties, part) ? [node.properties[String(part)]] : []))
      .flatMap(branches);
  }
  return [...new Set(nodes.flatMap((node) => Object.keys(node.properties ?? {})))];
}

/** Edits (insert, delete, change, swap two neighbours) from one name to another. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The allowed name `typed` most likely meant: the same but for case, one or two edits away (one for short names), or its start. */
export function closestFieldName(typed: string, names: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const sameButCase = names.find((name) => name.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  const allowed = typed.length >= 5 ? 2 : 1;
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  // A name cut short ("baud" for baudRate, "password" for passwordEnv), when only one allowed name starts so.
  const longer = lower.length >= 3 ? names.filter((name) => name.toLowerCase().startsWith(lower)) : [];
  return longer.length === 1 ? longer[0] : undefined;
}

/** " (did you mean "deadband"?)" for unknown fields at `path`, or "" when none is close to an allowed one. */
export function unknownFieldHint(schema: unknown, path: readonly PropertyKey[], unknown: readonly string[]): string {
  const names = fieldNamesAt(schema, path);
  const meant = unknown.map((key) => [key, closestFieldName(key, names)] as const).filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  if (meant.length === 0) return '';
  if (unknown.length === 1) return ` (did you mean "${meant[0][1]}"?)`;
  return ` (did you mean ${meant.map(([key, name]) => `"${name}" for "${key}"`).join(', ')}?)`;
}

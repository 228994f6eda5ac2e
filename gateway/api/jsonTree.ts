/**
 * Strict JSON (RFC 8259: no comments, no trailing commas) parsed into a tree of
 * offsets, so a problem found at a JSON path can be shown where it is in the text.
 * Values are not built: JSON.parse does that. Pure, with no imports, so the contract
 * stays free of parser libraries and both the CLI (`validate`) and the editor's
 * diagnostics locate with the same code.
 */

export type JsonNodeType = 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonNode {
  type: JsonNodeType;
  offset: number;
  length: number;
  parent?: JsonNode;
  /** Object: its properties; array: its items; property: [key, value]. */
  children?: JsonNode[];
  /** A property's key, unescaped. */
  key?: string;
}

/** Where the text stops being JSON, and what was expected there. */
export interface JsonSyntaxError {
  offset: number;
  length: number;
  message: string;
}

export type JsonTreeResult = { root: JsonNode; error?: undefined } | { root?: undefined; error: JsonSyntaxError };

export function parseJsonTree(text: string): JsonTreeResult {
  try {
    const parser = new TreeParser(text);
    return { root: parser.parseDocument() };
  } catch (failure) {
    if (failure instanceof JsonSyntaxFailure) return { error: failure.error };
    throw failure;
  }
}

/** The value at `path` (keys and array indices), or undefined where the path leaves the tree. */
export function findJsonNode(root: JsonNode, path: readonly (string | number)[]): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
    } else {
      const property: JsonNode | undefined = node.type === 'object' ? node.children?.find((child) => child.key === segment) : undefined;
      node = property?.children?.[1];
    }
  }
  return node;
}

class JsonSyntaxFailure extends Error {
  constructor(readonly error: JsonSyntaxError) {
    super(error.message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

class TreeParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonNode {
    if (this.text.charCodeAt(0) === 0xfeff) this.position = 1;
    const root = this.parseValue(undefined);
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('nothing after the end of the top-level value');
    return root;
  }

  private parseValue(parent: JsonNode | undefined): JsonNode {
    this.skipWhitespace();
    const start = this.position;
    const char = this.text[start];
    if (char === '{') return this.parseObject(parent);
    if (char === '[') return this.parseArray(parent);
    if (char === '"') return this.parseString(parent);
    for (const [word, type] of [['true', 'boolean'], ['false', 'boolean'], ['null', 'null']] as const) {
      if (this.text.startsWith(word, start)) {
        this.position += word.length;
        return { type, offset: start, length: word.length, parent };
      }
    }
    NUMBER.lastIndex = start;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.position += number[0].length;
      return { type: 'number', offset: start, length: number[0].length, parent };
    }
    return this.fail(char === undefined ? 'a value, but the text ends' : 'a value (a string, number, object, array, true, false or null)');
  }

  private parseObject(parent: JsonNode | undefined): JsonNode {
    const node: JsonNode = { type: 'object', offset: this.position, length: 0, parent, children: [] };
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] !== '}') {
      for (;;) {
        this.skipWhitespace();
        if (this.text[this.position] !== '"') this.fail('a property name in double quotes');
        const property: JsonNode = { type: 'property', offset: this.position, length: 0, parent: node, children: [] };
        const key = this.parseString(property);
        property.key = JSON.parse(this.text.slice(key.offset, key.offset + key.length)) as string;
        this.skipWhitespace();
        if (this.text[this.position] !== ':') this.fail('a colon after the property name');
        this.position++;
        const value = this.parseValue(property);
        property.children = [key, value];
        property.length = value.offset + value.length - property.offset;
        node.children!.push(property);
        if (!this.separator('}')) break;
      }
    }
    this.position++;
    node.length = this.position - node.offset;
    return node;
  }

  private parseArray(parent: JsonNode | undefined): JsonNode {
    const node: JsonNode = { type: 'array', offset: this.position, length: 0, parent, children: [] };
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] !== ']') {
      do node.children!.push(this.parseValue(node));
      while (this.separator(']'));
    }
    this.position++;
    node.length = this.position - node.offset;
    return node;
  }

  /** After a member: true at a comma (another member follows), false at the closing bracket. */
  private separator(close: '}' | ']'): boolean {
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === close) return false;
    if (char !== ',') this.fail(`a comma or ${close}`);
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === close) this.fail(close === '}' ? 'another property after the comma (JSON allows no trailing comma)' : 'another item after the comma (JSON allows no trailing comma)');
    return true;
  }

  private parseString(parent: JsonNode | undefined): JsonNode {
    const start = this.position;
    let position = start + 1;
    for (;;) {
      const char = this.text[position];
      if (char === undefined) this.fail('a closing double quote', start, position - start);
      if (char === '"') break;
      if (char === '\\') {
        const escape = this.text[position + 1];
        if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(position + 2, position + 6))) position += 6;
        else if (escape !== undefined && ESCAPES.includes(escape)) position += 2;
        else this.fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits)', position, 2);
        continue;
      }
      if (char.charCodeAt(0) < 0x20) this.fail('no control characters inside a string (write \\n, \\t …)', position, 1);
      position++;
    }
    this.position = position + 1;
    return { type: 'string', offset: start, length: this.position - start, parent };
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && ' \t\n\r'.includes(this.text[this.position])) this.position++;
  }

  private fail(expected: string, offset = this.position, length = 1): never {
    const found = this.text[offset];
    const where = found === undefined ? 'the end of the text' : `"${found}"`;
    throw new JsonSyntaxFailure({ offset, length: found === undefined ? 0 : length, message: `expected ${expected}, found ${where}` });
  }
}

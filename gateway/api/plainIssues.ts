/**
 * Validation problems in plain words. The validation library's own phrasing ("Too
 * big: expected number to be <=65535", "Invalid option: expected one of …") must
 * never reach a user: every place that shows a schema's complaint (channel errors,
 * bifrost.json diagnostics, input boxes, the CLI) words it here.
 *
 * The subject is the field's name: "port must be at most 65535". Messages written
 * into the contract itself (`intIn`, `hostName`) start with "must" and get the
 * subject put in front the same way. Pure: no I/O, no vscode.
 */
import { z } from 'zod';

/** The shape of a zod issue this module reads (zod's own type is wider). */
export type SchemaIssue = z.core.$ZodIssue;

/** What a field holds, for messages: the last name in its path ("port"), or "value" for a list entry or the whole. */
function subjectOf(path: readonly PropertyKey[]): string {
  const last = path.at(-1);
  return typeof last === 'string' ? last : 'value';
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  bigint: 'a whole number',
};

function received(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return `the text ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  if (typeof input === 'object') return 'an object';
  return String(input);
}

/**
 * One issue as a sentence about its field, without the path: "port must be at most
 * 65535". `subject` names the field when the path cannot (an input box validating
 * one value: "TCP port must be 1–65535").
 */
export function plainIssueText(issue: SchemaIssue, input?: unknown, subject = subjectOf(issue.path)): string {
  switch (issue.code) {
    case 'too_big': {
      if (isOwnMessage(issue.message)) break;
      const bound = String(issue.maximum);
      if (issue.origin === 'string') return `${subject} must be at most ${bound} characters long`;
      if (issue.origin === 'array') return `${subject} must have at most ${bound} entries`;
      return `${subject} must be ${issue.inclusive === false ? 'below' : 'at most'} ${bound}`;
    }
    case 'too_small': {
      if (isOwnMessage(issue.message)) break;
      const bound = String(issue.minimum);
      if (issue.origin === 'string') return bound === '1' ? `${subject} must not be empty` : `${subject} must be at least ${bound} characters long`;
      if (issue.origin === 'array') return `${subject} must have at least ${bound} ${bound === '1' ? 'entry' : 'entries'}`;
      return `${subject} must be ${issue.inclusive === false ? 'above' : 'at least'} ${bound}`;
    }
    case 'invalid_type': {
      if (isOwnMessage(issue.message)) break;
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      // Issues carry the input only when asked to; the library's message names what it got.
      const kind = /received (\w+)/.exec(issue.message)?.[1];
      const value = 'input' in issue && issue.input !== undefined ? issue.input : input;
      if (kind === 'undefined' && value === undefined) return `${subject} is missing (expected ${expected})`;
      // A fraction where a count belongs: "a whole number, not a number" would say nothing.
      if (issue.expected === 'int' && (typeof value === 'number' || (value === undefined && kind === 'number'))) {
        return typeof value === 'number' ? `${subject} must be a whole number, not ${value}` : `${subject} must be a whole number`;
      }
      const got = value !== undefined ? received(value) : kind ? (TYPE_WORDS[kind] ?? kind) : undefined;
      return got ? `${subject} must be ${expected}, not ${got}` : `${subject} must be ${expected}`;
    }
    case 'invalid_value':
      if (isOwnMessage(issue.message)) break;
      return `${subject} must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1 ? `unknown field "${issue.keys[0]}"` : `unknown fields ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_union': {
      // Each branch failed; say what any of them would have taken.
      const wanted = new Set<string>();
      for (const branch of issue.errors) for (const inner of branch) if (inner.code === 'invalid_type') wanted.add(TYPE_WORDS[inner.expected] ?? inner.expected);
      if (wanted.size > 0 && issue.errors.every((branch) => branch.length === 1 && branch[0].code === 'invalid_type')) {
        return `${subject} must be ${[...wanted].join(' or ')}`;
      }
      const first = issue.errors.find((branch) => branch.length > 0)?.[0];
      return first ? plainIssueText({ ...first, path: [...issue.path, ...first.path] } as SchemaIssue, input, subject) : `${subject} is not valid`;
    }
    case 'invalid_format':
      if (isOwnMessage(issue.message)) break;
      return `${subject} must be ${issue.format === 'regex' ? 'in the expected format' : `a valid ${issue.format}`}`;
    case 'not_multiple_of':
      return `${subject} must be a multiple of ${String(issue.divisor)}`;
    default:
      break;
  }
  return ownMessage(subject, issue.message);
}

/** "devices[0].transport: port must be 1–65535": where, then what (the field's name said once). */
export function plainIssue(issue: SchemaIssue, formatPath: (path: readonly PropertyKey[]) => string): string {
  const text = plainIssueText(issue);
  const named = text.startsWith(`${subjectOf(issue.path)} `) && typeof issue.path.at(-1) === 'string';
  const where = formatPath(named ? issue.path.slice(0, -1) : issue.path);
  return where === '' ? text : `${where}: ${text}`;
}

/** Several issues, one sentence each, joined with "; ". */
export function plainIssues(issues: readonly SchemaIssue[], formatPath: (path: readonly PropertyKey[]) => string): string {
  return issues.map((issue) => plainIssue(issue, formatPath)).join('; ');
}

/** Messages the contract wrote itself read "must …", or are whole sentences of their own. */
function isOwnMessage(message: string): boolean {
  return message.startsWith('must ') || !/^(Too (big|small)|Invalid|Expected)\b/.test(message);
}

function ownMessage(subject: string, message: string): string {
  return message.startsWith('must ') ? `${subject} ${message}` : message;
}

/** A whole number in [min, max], worded as a person would: "port must be 1–65535". */
export function intIn(min: number, max: number): z.ZodNumber {
  const error = `must be ${min}–${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

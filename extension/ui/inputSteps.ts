/**
 * The steps of a multi-question flow (Add Device, Discover Devices): input boxes
 * checked with the contract's own schema pieces as the user types, and pickers.
 * Every step answers undefined on Escape, so a flow stops at once and writes nothing.
 * A flow asks through its Steps' prompter: `vscode.window`, or a test's stand-in.
 */
import * as vscode from 'vscode';
import type { z } from 'zod';
import { plainIssueText } from '../../gateway/api/plainIssues';
import { errorMessage } from '../util/logger';
import type { Prompter } from './prompter';

export class Steps {
  private step = 0;

  constructor(
    private readonly flow: string,
    /** Grows once an answer (e.g. the transport kind) tells how many questions follow. */
    public total: number,
    readonly prompter: Prompter = vscode.window,
  ) {}

  /** "Add Device (3/6): Host" for the next question. */
  next(title: string): string {
    this.step++;
    return `${this.flow} (${this.step}/${Math.max(this.total, this.step)}): ${title}`;
  }
}

export function askText(
  steps: Steps,
  title: string,
  prompt: string,
  value: string,
  validate: (value: string) => string | undefined | Promise<string | undefined>,
): Thenable<string | undefined> {
  return steps.prompter
    .showInputBox({ title: steps.next(title), prompt, value, ignoreFocusOut: true, validateInput: (text) => validate(text.trim()) })
    .then((text) => text?.trim());
}

export async function askNumber(steps: Steps, title: string, prompt: string, initial: number, schema: z.ZodType): Promise<number | undefined> {
  const text = await askText(steps, title, prompt, String(initial), (value) => {
    if (!/^\d+$/.test(value)) return 'enter a whole number';
    return firstIssue(schema, Number(value), title);
  });
  return text === undefined ? undefined : Number(text);
}

export interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** One of `choices`; the first is preselected, so Enter takes the default. */
export async function pickOne<T>(steps: Steps, title: string, placeHolder: string, choices: Choice<T>[]): Promise<T | undefined> {
  const picked = await steps.prompter.showQuickPick(choices, { title: steps.next(title), placeHolder, ignoreFocusOut: true });
  return picked?.value;
}

/** The schema's first complaint about `value`, worded for the input box. */
export function firstIssue(schema: z.ZodType, value: unknown, subject?: string): string | undefined {
  try {
    const result = schema.safeParse(value);
    const issue = result.success ? undefined : result.error.issues[0];
    return issue ? plainIssueText(issue, value, subject ?? (issue.path.length > 0 ? undefined : 'value')) : undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

/**
 * What a multi-question flow asks through: `vscode.window` in use, a scripted stand-in
 * in the extension-host tests (nothing can click a quick pick there). Everything
 * else a flow does stays real: validation, the edit of bifrost.json, the gateway.
 */
import * as vscode from 'vscode';

export interface Prompter {
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showWarningMessage<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
}

/** A command argument that carries a prompter (`{ prompter }`), else `vscode.window`. */
export function prompterFromArgument(arg: unknown): Prompter {
  const given = typeof arg === 'object' && arg !== null && 'prompter' in arg ? (arg.prompter as Partial<Prompter> | undefined) : undefined;
  return given && typeof given.showQuickPick === 'function' && typeof given.showInputBox === 'function' ? (given as Prompter) : vscode.window;
}

/** Turns the contract's config problems into Diagnostics placed on the offending JSON. */
import * as vscode from 'vscode';
import type { ConfigProblem } from '../../gateway/api';
import { locateJsonPath } from '../../gateway/api/jsonLocator';

export const DIAGNOSTIC_SOURCE = 'bifrost';

export function problemsToDiagnostics(text: string, problems: readonly ConfigProblem[]): vscode.Diagnostic[] {
  return problems.map((problem) => {
    const { start, end } = locateJsonPath(text, problem.path, problem.message);
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    // The path leads the message: the Problems panel lists many at once and
    // `devices[1].tags[0].address` says which one without opening the file.
    const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    return diagnostic;
  });
}

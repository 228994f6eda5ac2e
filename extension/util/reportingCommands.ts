/**
 * Commands whose failure is reported where the user sees it (an error message, and the
 * log), never as an unhandled rejection in the extension host; what a handler returns
 * is passed on, for tests and other extensions (the palette ignores it).
 */
import * as vscode from 'vscode';
import { errorMessage } from './logger';

export function registerReportingCommands(log: vscode.LogOutputChannel, handlers: Record<string, (arg?: unknown) => unknown>): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        return await handler(arg);
      } catch (error) {
        log.error(`${id} failed: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`Bifrost: ${errorMessage(error)}`);
        return undefined;
      }
    }),
  );
}

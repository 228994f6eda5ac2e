import * as vscode from 'vscode';
import { errorMessage, type Logger } from './logger';

/** Sets a when-clause context key; a failure is logged, never left floating. */
export function setContext(key: string, value: unknown, logger: Logger): void {
  vscode.commands.executeCommand('setContext', key, value).then(undefined, (error: unknown) => {
    logger.warn(`cannot set context ${key}: ${errorMessage(error)}`);
  });
}

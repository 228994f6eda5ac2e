/** Registers every command the manifest contributes; ids match package.json. */
import * as vscode from 'vscode';
import { errorMessage } from '../util/logger';
import type { Services } from '../services';
import { addDevice } from './addDevice';
import { createConfig } from './configFile';
import { connectDevice, disconnectDevice, refreshAll, refreshDevice, removeDevice } from './deviceCommands';
import { RECORD_COMMANDS, recordCapture, stopRecording } from './recordCapture';

export const COMMANDS = {
  addDevice: 'bifrost.addDevice',
  removeDevice: 'bifrost.removeDevice',
  connect: 'bifrost.connect',
  disconnect: 'bifrost.disconnect',
  refresh: 'bifrost.refresh',
  refreshAll: 'bifrost.refreshAll',
  restartGateway: 'bifrost.restartGateway',
  showLog: 'bifrost.showLog',
  createConfig: 'bifrost.createConfig',
  recordCapture: RECORD_COMMANDS.record,
  stopRecording: RECORD_COMMANDS.stop,
} as const;

export function registerCommands(services: Services): vscode.Disposable[] {
  const handlers: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (arg?: unknown) => Promise<void> | void> = {
    [COMMANDS.addDevice]: (arg) => addDevice(services, arg),
    [COMMANDS.removeDevice]: (arg) => removeDevice(services, arg),
    [COMMANDS.connect]: (arg) => connectDevice(services, arg),
    [COMMANDS.disconnect]: (arg) => disconnectDevice(services, arg),
    [COMMANDS.refresh]: (arg) => refreshDevice(services, arg),
    [COMMANDS.refreshAll]: () => refreshAll(services),
    [COMMANDS.restartGateway]: () => services.gateway.restart(),
    [COMMANDS.showLog]: () => services.log.show(),
    [COMMANDS.createConfig]: () => createConfig(services),
    [COMMANDS.recordCapture]: async () => void (await recordCapture(services)),
    [COMMANDS.stopRecording]: async () => void (await stopRecording(services)),
  };
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      // One place where a command's failure is reported: nothing escapes as an
      // unhandled rejection into the extension host.
      try {
        await handler(arg);
      } catch (error) {
        services.log.error(`${id} failed: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`Bifrost: ${errorMessage(error)}`);
      }
    }),
  );
}

/**
 * Commands on one device: connect, disconnect, refresh (poll now), remove from
 * bifrost.json. Each works on a tree node, on a device name, or from the palette
 * with a pick.
 */
import * as vscode from 'vscode';
import { removeDeviceEdits } from '../config/configEdits';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { errorMessage } from '../util/logger';
import type { BifrostContext, GatewayCommandContext } from '../bifrostContext';
import { editConfig } from '../config/configFile';
import { resolveDevice } from './pickDevice';

/** A device request whose failure names what was being done ("connecting Boiler PLC failed: …"). */
async function request(ctx: BifrostContext, what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    ctx.log.error(`${what}: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Bifrost: ${what} failed: ${errorMessage(error)}`);
  }
}

export async function connectDevice(ctx: BifrostContext, { client }: GatewayCommandContext, arg?: unknown): Promise<void> {
  const device = await resolveDevice(ctx, arg, {
    placeHolder: 'Device to connect',
    filter: (d) => !['connected', 'notAnswering', 'connecting'].includes(d.status.state),
    noneMessage: 'Every device is connected already.',
  });
  if (device === undefined) return;
  await request(ctx, `connecting ${device}`, () => client.request('device.connect', { device }));
}

export async function disconnectDevice(ctx: BifrostContext, { client }: GatewayCommandContext, arg?: unknown): Promise<void> {
  const device = await resolveDevice(ctx, arg, {
    placeHolder: 'Device to disconnect',
    filter: (d) => d.status.state !== 'disconnected' && d.status.state !== 'disabled',
    noneMessage: 'No device is connected.',
  });
  if (device === undefined) return;
  await request(ctx, `disconnecting ${device}`, () => client.request('device.disconnect', { device }));
}

const ALL_DEVICES = '$(refresh) All devices';

export async function refreshDevice(ctx: BifrostContext, { client }: GatewayCommandContext, arg?: unknown): Promise<void> {
  let device: string | undefined;
  if (arg === undefined) {
    // From the palette: every device is a choice too, and the most common one.
    const names = ctx.deviceTree.model.names();
    const picked = await vscode.window.showQuickPick([ALL_DEVICES, ...names], { placeHolder: 'Device to read now' });
    if (picked === undefined) return;
    device = picked === ALL_DEVICES ? undefined : picked;
  } else {
    device = await resolveDevice(ctx, arg, { placeHolder: 'Device to read now', noneMessage: 'There are no devices.' });
    if (device === undefined) return;
  }
  await request(ctx, device ? `refreshing ${device}` : 'refreshing', () => client.request('device.refresh', { device }));
}

export async function refreshAll(ctx: BifrostContext, { client }: GatewayCommandContext): Promise<void> {
  await request(ctx, 'refreshing', () => client.request('device.refresh', {}));
}

export async function removeDevice(ctx: BifrostContext, arg?: unknown): Promise<void> {
  const uri = ctx.configStore.uri;
  if (!uri || !ctx.configStore.hasConfig) {
    void vscode.window.showInformationMessage(
      `The Demo device is built in. Create ${CONFIG_FILE_NAME} (Bifrost: Create bifrost.json) to manage your own devices.`,
    );
    return;
  }
  const device = await resolveDevice(ctx, arg, { placeHolder: 'Device to remove', noneMessage: 'There are no devices.' });
  if (device === undefined) return;
  const confirm = await vscode.window.showWarningMessage(
    `Remove "${device}" from ${CONFIG_FILE_NAME}?`,
    { modal: true, detail: 'The device and its tags are deleted from the file. Undo in the editor brings them back.' },
    'Remove',
  );
  if (confirm !== 'Remove') return;
  await editConfig(ctx.configStore, uri, (text) => removeDeviceEdits(text, device));
}

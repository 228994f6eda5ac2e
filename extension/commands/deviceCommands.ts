/**
 * Commands on one device: connect, disconnect, refresh (poll now), remove from
 * bifrost.json. Each works on a tree node, on a device name, or from the palette
 * with a pick.
 */
import * as vscode from 'vscode';
import { removeDeviceEdits } from '../config/configEdits';
import { CONFIG_FILE_NAME } from '../config/configStore';
import type { ChannelClient } from '../gateway/channelClient';
import { errorMessage } from '../util/logger';
import type { Services } from '../services';
import { editConfig } from './configFile';
import { resolveDevice } from './pickDevice';

/** The live channel, or undefined after telling the user the gateway is down. */
function clientOrExplain(services: Services): ChannelClient | undefined {
  const client = services.gateway.client;
  if (client) return client;
  const state = services.gateway.state;
  const why = state === 'stopped' ? 'is not running' : `is ${state}`;
  void vscode.window.showWarningMessage(`The Bifrost gateway ${why}; try again in a moment.`, 'Show Log').then((choice) => {
    if (choice) services.log.show();
  });
  return undefined;
}

async function request(services: Services, what: string, run: (client: ChannelClient) => Promise<unknown>): Promise<void> {
  const client = clientOrExplain(services);
  if (!client) return;
  try {
    await run(client);
  } catch (error) {
    services.log.error(`${what}: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Bifrost: ${what} failed: ${errorMessage(error)}`);
  }
}

export async function connectDevice(services: Services, arg?: unknown): Promise<void> {
  const device = await resolveDevice(services, arg, {
    placeHolder: 'Device to connect',
    filter: (d) => !['connected', 'notAnswering', 'connecting'].includes(d.status.state),
    noneMessage: 'Every device is connected already.',
  });
  if (device === undefined) return;
  await request(services, `connecting ${device}`, (client) => client.request('device.connect', { device }));
}

export async function disconnectDevice(services: Services, arg?: unknown): Promise<void> {
  const device = await resolveDevice(services, arg, {
    placeHolder: 'Device to disconnect',
    filter: (d) => d.status.state !== 'disconnected' && d.status.state !== 'disabled',
    noneMessage: 'No device is connected.',
  });
  if (device === undefined) return;
  await request(services, `disconnecting ${device}`, (client) => client.request('device.disconnect', { device }));
}

const ALL_DEVICES = '$(refresh) All devices';

export async function refreshDevice(services: Services, arg?: unknown): Promise<void> {
  let device: string | undefined;
  if (arg === undefined) {
    // From the palette: every device is a choice too, and the most common one.
    const names = services.deviceTree.model.names();
    const picked = await vscode.window.showQuickPick([ALL_DEVICES, ...names], { placeHolder: 'Device to read now' });
    if (picked === undefined) return;
    device = picked === ALL_DEVICES ? undefined : picked;
  } else {
    device = await resolveDevice(services, arg, { placeHolder: 'Device to read now', noneMessage: 'There are no devices.' });
    if (device === undefined) return;
  }
  await request(services, device ? `refreshing ${device}` : 'refreshing', (client) => client.request('device.refresh', { device }));
}

export async function refreshAll(services: Services): Promise<void> {
  await request(services, 'refreshing', (client) => client.request('device.refresh', {}));
}

export async function removeDevice(services: Services, arg?: unknown): Promise<void> {
  const uri = services.configStore.uri;
  if (!uri || !services.configStore.hasConfig) {
    void vscode.window.showInformationMessage(
      `The Demo device is built in. Create ${CONFIG_FILE_NAME} (Bifrost: Create bifrost.json) to manage your own devices.`,
    );
    return;
  }
  const device = await resolveDevice(services, arg, { placeHolder: 'Device to remove', noneMessage: 'There are no devices.' });
  if (device === undefined) return;
  const confirm = await vscode.window.showWarningMessage(
    `Remove "${device}" from ${CONFIG_FILE_NAME}?`,
    { modal: true, detail: 'The device and its tags are deleted from the file. Undo in the editor brings them back.' },
    'Remove',
  );
  if (confirm !== 'Remove') return;
  await editConfig(services, uri, (text) => removeDeviceEdits(text, device));
}

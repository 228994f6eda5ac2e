/**
 * What the tag commands need of `bifrost.json`: the file (which must exist and name
 * the device: tags are not added to the built-in demo), the device's tags as
 * configured, and writing tag edits through the same undoable edit path as Add Device.
 */
import * as vscode from 'vscode';
import type { Device, DeviceInput } from '../../gateway/api';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { addDeviceEdits, type EditResult } from '../config/configEdits';
import { configUriOrExplain, editConfig, fileExists, writeNewConfig } from '../commands/configFile';
import type { Services } from '../services';

/** The device as applied from bifrost.json; an explained error when it is not there. */
export function configuredDevice(services: Services, name: string): Device {
  const config = services.configStore.config;
  const device = config?.devices.find((d) => d.name === name);
  if (!device) {
    throw new Error(
      config
        ? `"${name}" is not in ${CONFIG_FILE_NAME}: tags belong to devices in that file`
        : `"${name}" is the built-in demo: run "Bifrost: Create bifrost.json" first, then add tags to devices in it`,
    );
  }
  return device;
}

/** Applies tag edits to bifrost.json (undoable); false when refused or cancelled, already explained. */
export async function editTags(services: Services, compute: (text: string) => EditResult): Promise<boolean> {
  const uri = configUriOrExplain(services);
  if (!uri) return false;
  if (!(await fileExists(uri))) throw new Error(`there is no ${CONFIG_FILE_NAME} yet: add a device first`);
  return editConfig(services, uri, compute);
}

/** A new device (with its tags): appended to bifrost.json, or the file created for it. */
export async function addDevice(services: Services, device: DeviceInput): Promise<boolean> {
  const uri = configUriOrExplain(services);
  if (!uri) return false;
  if (await fileExists(uri)) return editConfig(services, uri, (text) => addDeviceEdits(text, device));
  await writeNewConfig(services, uri, { version: 1, devices: [device] });
  return true;
}

export async function configText(services: Services): Promise<string | undefined> {
  const uri = services.configStore.uri;
  if (!uri || !(await fileExists(uri))) return undefined;
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

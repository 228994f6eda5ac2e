/**
 * What the tag commands need of `bifrost.json`: the file (which must exist and name
 * the device: tags are not added to the built-in demo), the device's tags as
 * configured, and writing tag edits through the same undoable edit path as Add Device.
 */
import * as vscode from 'vscode';
import type { Device, DeviceInput } from '../../gateway/api';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { addDeviceEdits, type EditResult } from '../config/configEdits';
import { configUriOrExplain, editConfig, fileExists, writeNewConfig } from '../config/configFile';
import type { BifrostContext } from '../bifrostContext';

/** The device as applied from bifrost.json; an explained error when it is not there. */
export function configuredDevice(ctx: BifrostContext, name: string): Device {
  const config = ctx.configStore.config;
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
export async function editTags(ctx: BifrostContext, compute: (text: string) => EditResult): Promise<boolean> {
  const uri = configUriOrExplain(ctx.configStore);
  if (!uri) return false;
  if (!(await fileExists(uri))) throw new Error(`there is no ${CONFIG_FILE_NAME} yet: add a device first`);
  return editConfig(ctx.configStore, uri, compute);
}

/** A new device (with its tags): appended to bifrost.json, or the file created for it. */
export async function addDevice(ctx: BifrostContext, device: DeviceInput): Promise<boolean> {
  const uri = configUriOrExplain(ctx.configStore);
  if (!uri) return false;
  if (await fileExists(uri)) return editConfig(ctx.configStore, uri, (text) => addDeviceEdits(text, device));
  await writeNewConfig(ctx.configStore, uri, { version: 1, devices: [device] });
  return true;
}

export async function configText(ctx: BifrostContext): Promise<string | undefined> {
  const uri = ctx.configStore.uri;
  if (!uri || !(await fileExists(uri))) return undefined;
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/**
 * "Add Device" for units discovery found: one bifrost.json entry each (created
 * when the file is missing), named from its identification and unique among the
 * devices already in the file. Added units leave the Discovered section.
 */
import * as vscode from 'vscode';
import { addDeviceEdits } from '../config/configEdits';
import { configUriOrExplain, editConfig, existingNames, fileExists, writeNewConfig } from '../config/configFile';
import type { BifrostContext } from '../bifrostContext';
import { devicesFor, type FoundUnit } from './discoveredUnits';

/** Resolves with the names of the devices written (none when the user has no folder open or an edit failed). */
export async function addDiscoveredDevices(ctx: BifrostContext, found: readonly FoundUnit[]): Promise<string[]> {
  if (found.length === 0) return [];
  const uri = configUriOrExplain(ctx.configStore);
  if (!uri) return [];
  const exists = await fileExists(uri);
  const devices = devicesFor(found, await existingNames(uri, exists));
  const added: string[] = [];
  if (!exists) {
    await writeNewConfig(ctx.configStore, uri, { version: 1, devices });
    added.push(...devices.map((device) => device.name));
  } else {
    // One edit per device: each is computed against the text the previous one left.
    for (const device of devices) {
      if (!(await editConfig(ctx.configStore, uri, (text) => addDeviceEdits(text, device)))) break;
      added.push(device.name);
    }
  }
  ctx.deviceTree.discovered.remove(found.slice(0, added.length).map((entry) => entry.key));
  if (added.length > 0) {
    ctx.log.info(`added ${added.join(', ')} to bifrost.json from discovery`);
    void vscode.window.showInformationMessage(`Bifrost: added ${added.map((name) => `"${name}"`).join(', ')} to bifrost.json.`);
  }
  return added;
}

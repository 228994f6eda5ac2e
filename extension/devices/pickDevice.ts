/**
 * Which device a command acts on: the tree node it was invoked on, a name passed
 * by another extension or test, or, from the palette, the user's pick.
 */
import * as vscode from 'vscode';
import type { DeviceSnapshot } from '../../gateway/api';
import type { DeviceTreeNode } from './treeItems';
import type { BifrostContext } from '../bifrostContext';

export function deviceNameFromArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg) {
    const node = arg as DeviceTreeNode;
    return node.kind === 'device' ? node.name : node.device;
  }
  return undefined;
}

export interface PickOptions {
  /** Placeholder text of the quick pick: "Device to connect". */
  placeHolder: string;
  /** Which devices make sense for this command; all when omitted. */
  filter?: (device: DeviceSnapshot) => boolean;
  /** Said when no device fits. */
  noneMessage: string;
}

export async function resolveDevice(ctx: BifrostContext, arg: unknown, options: PickOptions): Promise<string | undefined> {
  const named = deviceNameFromArgument(arg);
  if (named !== undefined) return named;
  const devices = ctx.deviceTree.model.devices().filter(options.filter ?? (() => true));
  if (devices.length === 0) {
    void vscode.window.showInformationMessage(options.noneMessage);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    devices.map((device) => ({ label: device.name, description: device.endpoint, detail: device.status.state, name: device.name })),
    { placeHolder: options.placeHolder, matchOnDescription: true },
  );
  return picked?.name;
}

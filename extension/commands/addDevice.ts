/**
 * Bifrost: Add Device — a few input boxes (name, host, port, unit id, poll rate),
 * each checked with the contract's own schema pieces as the user types, then one
 * entry appended to `bifrost.json`. Escape at any step cancels the whole flow and
 * writes nothing.
 */
import * as vscode from 'vscode';
import type { z } from 'zod';
import { DEFAULT_POLL_MS, DEFAULT_TCP_PORT, Device, TcpTransport, type DeviceInput } from '../../gateway/api';
import { addDeviceEdits, deviceNamesInText } from '../config/configEdits';
import { errorMessage } from '../util/logger';
import type { Services } from '../services';
import { configUriOrExplain, editConfig, fileExists, writeNewConfig } from './configFile';

const STEPS = 5;

export async function addDevice(services: Services, arg?: unknown): Promise<void> {
  const uri = configUriOrExplain(services);
  if (!uri) return;
  const exists = await fileExists(uri);
  // A fully formed device from another extension or a test skips the questions.
  const given = Device.safeParse(arg);
  const device = given.success && arg !== undefined ? (arg as DeviceInput) : await askForDevice(await existingNames(uri, exists));
  if (!device) return;
  if (exists) {
    await editConfig(services, uri, (text) => addDeviceEdits(text, device));
  } else {
    await writeNewConfig(services, uri, { version: 1, devices: [device] });
  }
}

async function existingNames(uri: vscode.Uri, exists: boolean): Promise<string[]> {
  if (!exists) return [];
  try {
    return deviceNamesInText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    return [];
  }
}

async function askForDevice(taken: readonly string[]): Promise<DeviceInput | undefined> {
  const name = await ask(1, 'Device name', 'Shown in the Devices view, e.g. "Boiler PLC"', '', (value) => {
    if (taken.includes(value)) return `a device named "${value}" already exists`;
    return firstIssue(Device.shape.name, value);
  });
  if (name === undefined) return undefined;
  const host = await ask(2, 'Host', 'Host name or IP address of the Modbus TCP device', '', (value) =>
    firstIssue(TcpTransport.shape.host, value),
  );
  if (host === undefined) return undefined;
  const port = await askNumber(3, 'TCP port', 'Modbus TCP listens on 502 unless configured otherwise', DEFAULT_TCP_PORT, TcpTransport.shape.port);
  if (port === undefined) return undefined;
  const unitId = await askNumber(4, 'Unit id', 'The slave / unit id, 0–255 (1 for most TCP devices)', 1, Device.shape.unitId);
  if (unitId === undefined) return undefined;
  const pollMs = await askNumber(5, 'Poll rate (ms)', 'How often to read the tags, in milliseconds', DEFAULT_POLL_MS, Device.shape.pollMs);
  if (pollMs === undefined) return undefined;
  return { name, transport: { kind: 'tcp', host, port }, unitId, pollMs, tags: [] };
}

function ask(
  step: number,
  title: string,
  prompt: string,
  value: string,
  validate: (value: string) => string | undefined,
): Thenable<string | undefined> {
  return vscode.window
    .showInputBox({
      title: `Add Device (${step}/${STEPS}): ${title}`,
      prompt,
      value,
      ignoreFocusOut: true,
      validateInput: (text) => validate(text.trim()),
    })
    .then((text) => text?.trim());
}

async function askNumber(step: number, title: string, prompt: string, initial: number, schema: z.ZodType): Promise<number | undefined> {
  const text = await ask(step, title, prompt, String(initial), (value) => {
    if (!/^\d+$/.test(value)) return 'enter a whole number';
    return firstIssue(schema, Number(value));
  });
  return text === undefined ? undefined : Number(text);
}

function firstIssue(schema: z.ZodType, value: unknown): string | undefined {
  try {
    const result = schema.safeParse(value);
    return result.success ? undefined : result.error.issues[0]?.message;
  } catch (error) {
    return errorMessage(error);
  }
}

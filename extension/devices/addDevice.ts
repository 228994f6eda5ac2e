/**
 * Bifrost: Add Device — a few questions (name, transport kind — Modbus TCP, RTU over
 * TCP, RTU or ASCII on a serial port —, how it is reached, unit id, poll rate), each
 * checked with the contract's own schema pieces as the user types, then one entry
 * appended to `bifrost.json`. Escape at any step cancels the whole flow and writes
 * nothing.
 */
import { DEFAULT_POLL_MS, Device, type DeviceInput } from '../../gateway/api';
import { addDeviceEdits } from '../config/configEdits';
import type { BifrostContext } from '../bifrostContext';
import { configUriOrExplain, editConfig, existingNames, fileExists, writeNewConfig } from '../config/configFile';
import { askNumber, askText, firstIssue, Steps } from '../ui/inputSteps';
import { askTransportDetails, pickTransportKind, transportQuestionCount } from '../ui/transportSteps';

export async function addDevice(ctx: BifrostContext, arg?: unknown): Promise<void> {
  const uri = configUriOrExplain(ctx.configStore);
  if (!uri) return;
  const exists = await fileExists(uri);
  // A fully formed device from another extension or a test skips the questions.
  const given = Device.safeParse(arg);
  const device = given.success && arg !== undefined ? (arg as DeviceInput) : await askForDevice(ctx, await existingNames(uri, exists));
  if (!device) return;
  if (exists) {
    await editConfig(ctx.configStore, uri, (text) => addDeviceEdits(text, device));
  } else {
    await writeNewConfig(ctx.configStore, uri, { version: 1, devices: [device] });
  }
}

async function askForDevice(ctx: BifrostContext, taken: readonly string[]): Promise<DeviceInput | undefined> {
  const steps = new Steps('Add Device', 3);
  const name = await askText(steps, 'Device name', 'Shown in the Devices view, e.g. "Boiler PLC"', '', (value) => {
    if (taken.includes(value)) return `a device named "${value}" already exists`;
    return firstIssue(Device.shape.name, value, 'name');
  });
  if (name === undefined) return undefined;
  const kind = await pickTransportKind(steps, ['tcp', 'rtutcp', 'rtu', 'ascii']);
  if (kind === undefined) return undefined;
  steps.total = 4 + transportQuestionCount(kind);
  const transport = await askTransportDetails(steps, kind, { client: ctx.gateway.client, logger: ctx.log });
  if (transport === undefined) return undefined;
  const unitPrompt = kind === 'tcp' ? 'The unit id, 0–255 (1 for most TCP devices)' : 'The slave address on the bus, 1–247';
  const unitId = await askNumber(steps, 'Unit id', unitPrompt, 1, Device.shape.unitId);
  if (unitId === undefined) return undefined;
  const pollMs = await askNumber(steps, 'Poll rate (ms)', 'How often to read the tags, in milliseconds', DEFAULT_POLL_MS, Device.shape.pollMs);
  if (pollMs === undefined) return undefined;
  return { name, transport, unitId, pollMs, tags: [] };
}

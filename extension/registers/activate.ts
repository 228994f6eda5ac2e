/**
 * The Registers room: "Bifrost: Open Registers…" from a device in the tree, or from
 * the palette against a saved view, a configured device, or an endpoint typed on the
 * spot (tcp://host:port #unit, or a serial port and its settings): no bifrost.json
 * needed. Each call opens a new panel; several side by side is a feature.
 */
import * as vscode from 'vscode';
import { AdHocEndpoint, type AdHocEndpointInput, type RegisterView } from '../../gateway/api';
import { rowAddress } from '../../gateway/api/codec/registerFormats';
import type { FormatEntry, RangeSpec } from '../../webviews/registers/protocol';
import type { Prompter } from '../ui/prompter';
import { deviceNameFromArgument } from '../devices/pickDevice';
import { askTransportDetails, pickTransportKind, transportQuestionCount } from '../ui/transportSteps';
import { askNumber, Steps } from '../ui/inputSteps';
import type { BifrostContext } from '../bifrostContext';
import { PanelSet } from '../ui/panelSet';
import { addRowsAsTags } from '../tags/rowsToTags';
import { editTags } from '../tags/tagFile';
import { addRegisterViewEdits } from '../tags/tagEdits';
import { RegistersPanel } from './registersPanel';
import { deviceTarget, endpointLabelOf, endpointTarget, parseEndpointText, type RegisterTargetInfo } from '../devices/registerTarget';

export const OPEN_REGISTERS_COMMAND = 'bifrost.openRegisters';

const DEFAULT_RANGE: RangeSpec = { table: 'holdingRegister', start: 0, count: 100, pollMs: 1000 };

/** The open panels, for disposal on deactivation and for the extension-host tests. */
export class RegistersPanels extends PanelSet<RegistersPanel> {
  constructor(
    private readonly ctx: BifrostContext,
    private readonly prompter: () => Prompter,
  ) {
    super();
  }

  show(target: RegisterTargetInfo, range: RangeSpec = DEFAULT_RANGE, formats: FormatEntry[] = []): RegistersPanel {
    const panel = new RegistersPanel(
      this.ctx,
      {
        target,
        range,
        formats,
        addTags: (t, rows, table) => addRowsAsTags(this.ctx, this.prompter(), t, rows.map((row) => ({ table, offset: row.offset, format: row.format }))),
        saveView: (t, r, f) => saveView(this.ctx, this.prompter(), t, r, f),
      },
    );
    return this.add(panel);
  }
}

async function saveView(ctx: BifrostContext, prompter: Prompter, target: RegisterTargetInfo, range: RangeSpec, formats: FormatEntry[]): Promise<string | undefined> {
  if (target.kind === 'endpoint' && target.endpoint.transport.kind !== 'tcp' && target.endpoint.transport.kind !== 'rtutcp') {
    throw new Error('a view of a serial endpoint cannot be saved: add the device to bifrost.json, then save the view of it');
  }
  const name = await prompter.showInputBox({ title: 'Save view', prompt: 'A name for this range, its poll rate and formats', value: `${target.label} ${rowAddress(range.table, range.start, target.addressBase)}`, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'a name cannot be empty') });
  if (!name) return undefined;
  const view = {
    name: name.trim(),
    ...(target.kind === 'device' ? { device: target.device } : { endpoint: endpointLabelOf(target.endpoint) }),
    table: range.table,
    start: range.start,
    count: range.count,
    pollMs: range.pollMs,
    formats: formats.map((entry) => ({ address: entry.offset, format: entry.format.kind, ...(entry.format.order === 'ABCD' ? {} : { order: entry.format.order }) })),
  };
  return (await editTags(ctx, (text) => addRegisterViewEdits(text, view))) ? view.name : undefined;
}

function openView(panels: RegistersPanels, ctx: BifrostContext, view: RegisterView): RegistersPanel {
  let target: RegisterTargetInfo;
  if (view.device !== undefined) target = deviceTarget(view.device, ctx.configStore.config);
  else {
    const parsed = parseEndpointText(view.endpoint ?? '');
    if (!parsed.ok) throw new Error(`view "${view.name}": ${parsed.error}`);
    target = endpointTarget(parsed.endpoint);
  }
  const formats = view.formats.map((f) => ({ offset: f.address, format: { kind: f.format, order: f.order } }));
  return panels.show(target, { table: view.table, start: view.start, count: view.count, pollMs: view.pollMs }, formats);
}

const TYPE_ENDPOINT = '$(globe) Endpoint…';
const SERIAL_ENDPOINT = '$(plug) Serial port…';

/** The palette's choices: saved views, configured devices, or an endpoint typed now. */
async function pickTarget(ctx: BifrostContext, panels: RegistersPanels, prompter: Prompter): Promise<RegistersPanel | undefined> {
  const views = ctx.configStore.config?.registerViews ?? [];
  const devices = ctx.deviceTree.model.devices();
  type Item = vscode.QuickPickItem & { run?: () => Promise<RegistersPanel | undefined> | RegistersPanel | undefined };
  const items: Item[] = [
    { label: TYPE_ENDPOINT, detail: 'Modbus TCP or RTU over TCP: tcp://host:port #unit — no bifrost.json needed', run: () => typeEndpoint(panels, prompter) },
    { label: SERIAL_ENDPOINT, detail: 'RTU or ASCII on a serial port: pick the port and its settings', run: () => serialEndpoint(ctx, panels) },
    ...views.map((view) => ({ label: `$(table) ${view.name}`, description: view.device ?? view.endpoint, detail: 'Saved view', run: () => openView(panels, ctx, view) })),
    ...devices.map((device) => ({ label: `$(server) ${device.name}`, description: device.endpoint, run: () => panels.show(deviceTarget(device.name, ctx.configStore.config)) })),
  ];
  const picked = await prompter.showQuickPick(items, { title: 'Open Registers', placeHolder: 'An endpoint to type, a saved view, or a device', ignoreFocusOut: true, matchOnDescription: true });
  return picked?.run?.();
}

async function typeEndpoint(panels: RegistersPanels, prompter: Prompter): Promise<RegistersPanel | undefined> {
  const text = await prompter.showInputBox({
    title: 'Open Registers: endpoint',
    prompt: 'tcp://host:port #unit (unit 1 if left out), or rtutcp://host:port for a serial-to-Ethernet converter',
    value: 'tcp://127.0.0.1:502 #1',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseEndpointText(value);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseEndpointText(text);
  return parsed.ok ? panels.show(endpointTarget(parsed.endpoint)) : undefined;
}

async function serialEndpoint(ctx: BifrostContext, panels: RegistersPanels): Promise<RegistersPanel | undefined> {
  const steps = new Steps('Open Registers', 2);
  const kind = await pickTransportKind(steps, ['rtu', 'ascii']);
  if (kind === undefined) return undefined;
  steps.total = 2 + transportQuestionCount(kind);
  const transport = await askTransportDetails(steps, kind, { client: ctx.gateway.client, logger: ctx.log });
  if (transport === undefined || transport.kind === 'demo') return undefined;
  const unitId = await askNumber(steps, 'Unit id', 'The slave address on the bus, 1–247', 1, AdHocEndpoint.shape.unitId);
  if (unitId === undefined) return undefined;
  const endpoint: AdHocEndpointInput = { transport, unitId };
  return panels.show(endpointTarget(endpoint));
}

interface OpenArgument {
  /** An endpoint, without questions (tests, other extensions). */
  endpoint?: AdHocEndpointInput;
  device?: string;
  view?: string;
  range?: RangeSpec;
  prompter?: Prompter;
}

/** Registers the Registers room's command; answers the open panels (for the test API). */
export function activate(ctx: BifrostContext): RegistersPanels {
  let prompter: Prompter = vscode.window;
  const panels = ctx.own(new RegistersPanels(ctx, () => prompter));
  ctx.registerCommand(OPEN_REGISTERS_COMMAND, async (arg) => {
      const options: OpenArgument = arg && typeof arg === 'object' && !('kind' in arg) ? (arg as OpenArgument) : {};
      prompter = options.prompter ?? vscode.window;
      if (options.endpoint) return panels.show(endpointTarget(AdHocEndpoint.parse(options.endpoint)), options.range);
      if (options.view) {
        const view = ctx.configStore.config?.registerViews?.find((v) => v.name === options.view);
        if (!view) throw new Error(`no view named "${options.view}" in bifrost.json`);
        return openView(panels, ctx, view);
      }
      const device = options.device ?? deviceNameFromArgument(arg);
      if (device !== undefined) return panels.show(deviceTarget(device, ctx.configStore.config), options.range);
      return pickTarget(ctx, panels, prompter);
  });
  return panels;
}

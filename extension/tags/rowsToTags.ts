/**
 * Rows of a Registers view, or a value-finder candidate, made into tags in
 * bifrost.json: each name asked (prefilled), type, word order and scale taken from
 * the format shown, the address written in the device's own base. On an endpoint
 * typed in the palette the tags need a device: one is asked for and created with them.
 */
import * as vscode from 'vscode';
import { FORMAT_TAG_TYPE, rowAddress, type RowFormat } from '../../gateway/api/codec/registerFormats';
import { Device, Tag, type RegisterTableName } from '../../gateway/api';
import type { TagInput } from '../../gateway/api/codec/registerMap';
import { deviceNamesInText } from '../config/configEdits';
import type { Prompter } from '../ui/prompter';
import { firstIssue } from '../ui/inputSteps';
import type { RegisterTargetInfo } from '../devices/registerTarget';
import type { BifrostContext } from '../bifrostContext';
import { addDevice, configText, editTags } from './tagFile';
import { addTagsEdits, tagNamesInText } from './tagEdits';

export interface RowAsTag {
  table: RegisterTableName;
  offset: number;
  format?: RowFormat;
  /** For finder candidates of an integer at a scale. */
  scale?: number;
  /** Overrides the type the format implies (finder: uint16 vs int16). */
  type?: TagInput['type'];
}

/** The tag a row becomes, before it is named: address in the device's base, type and order from the format. */
export function tagForRow(row: RowAsTag, addressBase: 0 | 1): Omit<TagInput, 'name'> {
  const address = rowAddress(row.table, row.offset, addressBase);
  if (row.table === 'coil' || row.table === 'discreteInput') return { address, type: 'bool' };
  const format = row.format ?? { kind: 'unsigned', order: 'ABCD' };
  const type = row.type ?? FORMAT_TAG_TYPE[format.kind];
  const wide = !['uint16', 'int16', 'bcd16'].includes(type);
  return { address, type, ...(wide && format.order !== 'ABCD' ? { order: format.order } : {}), ...(row.scale !== undefined && row.scale !== 1 ? { scale: row.scale } : {}) };
}

export async function addRowsAsTags(ctx: BifrostContext, prompter: Prompter, target: RegisterTargetInfo, rows: readonly RowAsTag[]): Promise<string[]> {
  const text = (await configText(ctx)) ?? '';
  let device: string;
  let taken: string[];
  if (target.kind === 'device') {
    device = target.device;
    if (!deviceNamesInText(text).includes(device)) throw new Error(`"${device}" is not in bifrost.json: tags belong to devices in that file`);
    taken = tagNamesInText(text, device);
  } else {
    const existing = deviceNamesInText(text);
    const name = await prompter.showInputBox({
      title: `Add as tags: a device for ${target.label}`,
      prompt: 'The tags need a device in bifrost.json: its name (the endpoint and unit are filled in)',
      value: '',
      ignoreFocusOut: true,
      validateInput: (value) => (existing.includes(value.trim()) ? `a device named "${value.trim()}" already exists` : firstIssue(Device.shape.name, value.trim())),
    });
    if (name === undefined) return [];
    device = name.trim();
    taken = [];
  }
  const tags: TagInput[] = [];
  for (const [index, row] of rows.entries()) {
    const partial = tagForRow(row, target.addressBase);
    const suggested = uniqueName(`${partial.address.replace(':', '')}${partial.type === 'bool' || partial.type === 'uint16' ? '' : ` ${partial.type}`}`, [...taken, ...tags.map((t) => t.name)]);
    const name = await prompter.showInputBox({
      title: `Add as tags (${index + 1}/${rows.length}): name of ${partial.address}`,
      prompt: `${partial.address} as ${partial.type}${partial.order ? ` ${partial.order}` : ''}${partial.scale ? ` ×${partial.scale}` : ''}`,
      value: suggested,
      ignoreFocusOut: true,
      validateInput: (value) => ([...taken, ...tags.map((t) => t.name)].includes(value.trim()) ? `a tag named "${value.trim()}" is already on ${device}` : firstIssue(Tag.shape.name, value.trim())),
    });
    if (name === undefined) return [];
    tags.push({ name: name.trim(), ...partial });
  }
  const written =
    target.kind === 'device'
      ? await editTags(ctx, (current) => addTagsEdits(current, device, tags))
      : await addDevice(ctx, { name: device, transport: target.endpoint.transport, unitId: target.endpoint.unitId ?? 1, tags });
  if (!written) return [];
  void vscode.window.setStatusBarMessage(`Bifrost: added ${tags.length} tag(s) to ${device}`, 5000);
  return tags.map((tag) => tag.name);
}

function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base} ${n}`)) return `${base} ${n}`;
}

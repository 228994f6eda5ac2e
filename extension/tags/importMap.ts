/**
 * Bifrost: Import Register Map… — a vendor's CSV or TSV into a device's tags. The
 * columns are guessed from the header (or chosen when a needed one is not found);
 * the preview lists every tag it will add, checked, and below them every row that
 * cannot become a tag with its line and why. Only the tags left checked are written.
 */
import * as vscode from 'vscode';
import { MAP_FIELDS, parseRegisterMap, type ColumnChoice, type MapParse } from '../../gateway/api/codec/registerMap';
import type { Prompter } from '../ui/prompter';
import type { BifrostContext } from '../bifrostContext';
import { addTagsEdits, tagNamesInText } from './tagEdits';
import { configText, configuredDevice, editTags } from './tagFile';

export interface ImportOptions {
  prompter: Prompter;
  /** The file to read (tests; the palette asks with an open dialog). */
  file?: vscode.Uri;
}

type PreviewItem = vscode.QuickPickItem & { index?: number };

/** The preview as quick-pick items: tags (picked) first, then a separator and the rows that cannot be imported. */
export function previewItems(parse: MapParse): PreviewItem[] {
  const items: PreviewItem[] = parse.tags.map((entry, index) => ({
    label: entry.tag.name,
    description: `${entry.tag.address} · ${entry.tag.type ?? 'uint16'}${entry.tag.order ? ` ${entry.tag.order}` : ''}${entry.tag.scale !== undefined ? ` ×${entry.tag.scale}` : ''}${entry.tag.unit ? ` · ${entry.tag.unit}` : ''}`,
    detail: `line ${entry.line}${entry.access ? ` · access ${entry.access}` : ''}`,
    picked: true,
    index,
  }));
  if (parse.problems.length > 0) {
    items.push({ label: `${parse.problems.length} row(s) cannot become tags`, kind: vscode.QuickPickItemKind.Separator });
    for (const problem of parse.problems) {
      items.push({ label: `$(error) line ${problem.line}${problem.name ? `: ${problem.name}` : ''}`, detail: problem.reason });
    }
  }
  return items;
}

export async function importRegisterMap(ctx: BifrostContext, deviceName: string, options: ImportOptions): Promise<string[]> {
  const device = configuredDevice(ctx, deviceName);
  const file =
    options.file ??
    (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Import', filters: { 'Register map': ['csv', 'tsv', 'txt'] }, title: `Import a register map into ${device.name}` }))?.[0];
  if (!file) return [];
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  const taken = tagNamesInText((await configText(ctx)) ?? '', device.name);
  let parse = parseRegisterMap(text, { takenNames: taken });
  if (parse.columns.name === undefined || parse.columns.address === undefined) {
    const columns = await chooseColumns(options.prompter, parse);
    if (!columns) return [];
    parse = parseRegisterMap(text, { takenNames: taken, columns });
  }
  const items = previewItems(parse);
  const chosen = await options.prompter.showQuickPick(items, {
    title: `Import into ${device.name}: ${parse.tags.length} tag(s)${parse.problems.length ? `, ${parse.problems.length} row(s) skipped` : ''}`,
    placeHolder: 'Uncheck what not to import; rows marked $(error) cannot become tags (the reason is below each)',
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDescription: true,
    matchOnDetail: true,
  } as vscode.QuickPickOptions & { canPickMany: true });
  const picked = (Array.isArray(chosen) ? (chosen as PreviewItem[]) : []).filter((item) => item.index !== undefined);
  if (picked.length === 0) return [];
  const tags = picked.map((item) => parse.tags[item.index!].tag);
  if (!(await editTags(ctx, (current) => addTagsEdits(current, device.name, tags)))) return [];
  void vscode.window.showInformationMessage(`Bifrost: imported ${tags.length} tag(s) into ${device.name}${parse.problems.length ? `; ${parse.problems.length} row(s) could not be imported` : ''}.`);
  return tags.map((tag) => tag.name);
}

/** The name and address columns (required), picked from the header when the words were not recognised. */
async function chooseColumns(prompter: Prompter, parse: MapParse): Promise<ColumnChoice | undefined> {
  const columns: ColumnChoice = { ...parse.columns };
  for (const field of MAP_FIELDS.filter((f) => f === 'name' || f === 'address')) {
    if (columns[field] !== undefined) continue;
    const picked = await prompter.showQuickPick(
      parse.header.map((title, index) => ({ label: title || `column ${index + 1}`, description: `column ${index + 1}`, index })),
      { title: `Which column holds the ${field}?`, placeHolder: `The header's words were not recognised as "${field}"`, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    columns[field] = picked.index;
  }
  return columns;
}

/**
 * The tag room: Add Tag…, Edit Tag…, Remove Tag (device and tag items of the tree,
 * and the palette), Import Register Map…, Export Tags…, Find a Value…. Each takes
 * the tree node it was invoked on, or `{ device, tag?, prompter?, file? }` from
 * tests and other extensions; a scripted prompter answers the questions the way a
 * user would, through the flows' own validation.
 */
import * as vscode from 'vscode';
import type { Prompter } from '../ui/prompter';
import { deviceNameFromArgument, resolveDevice } from '../devices/pickDevice';
import { deviceTarget } from '../devices/registerTarget';
import type { BifrostContext } from '../bifrostContext';
import { exportTags } from './exportTags';
import { findValue } from './findValue';
import { importRegisterMap } from './importMap';
import { addTagsEdits, removeTagEdits, replaceTagEdits, tagNamesInText } from './tagEdits';
import { configText, configuredDevice, editTags } from './tagFile';
import { askTag } from './tagSteps';

export const TAG_COMMANDS = {
  addTag: 'bifrost.addTag',
  editTag: 'bifrost.editTag',
  removeTag: 'bifrost.removeTag',
  importRegisterMap: 'bifrost.importRegisterMap',
  exportTags: 'bifrost.exportTags',
  findValue: 'bifrost.findValue',
} as const;

interface CommandOptions {
  device?: string;
  tag?: string;
  prompter?: Prompter;
  file?: vscode.Uri;
}

function optionsOf(arg: unknown): CommandOptions {
  if (!arg || typeof arg !== 'object' || 'kind' in arg) return {};
  return arg as CommandOptions;
}

function tagNameOf(arg: unknown): string | undefined {
  if (arg && typeof arg === 'object' && 'kind' in arg && (arg as { kind: unknown }).kind === 'tag') return (arg as unknown as { tag: string }).tag;
  return optionsOf(arg).tag;
}

async function deviceOf(ctx: BifrostContext, arg: unknown, placeHolder: string): Promise<string | undefined> {
  const given = optionsOf(arg).device ?? deviceNameFromArgument(arg);
  if (given !== undefined) return given;
  const configured = new Set(ctx.configStore.config?.devices.map((d) => d.name) ?? []);
  return resolveDevice(ctx, undefined, { placeHolder, filter: (d) => configured.has(d.name), noneMessage: 'There is no device in bifrost.json yet: run "Bifrost: Add Device" first.' });
}

async function pickTag(ctx: BifrostContext, device: string, prompter: Prompter, placeHolder: string): Promise<string | undefined> {
  const tags = configuredDevice(ctx, device).tags;
  if (tags.length === 0) throw new Error(`${device} has no tags yet`);
  return (await prompter.showQuickPick(tags.map((tag) => ({ label: tag.name, description: `${tag.address} · ${tag.type}` })), { placeHolder, ignoreFocusOut: true }))?.label;
}

async function addTag(ctx: BifrostContext, arg: unknown): Promise<string | undefined> {
  const prompter = optionsOf(arg).prompter ?? vscode.window;
  const device = await deviceOf(ctx, arg, 'Device to add a tag to');
  if (device === undefined) return undefined;
  const config = configuredDevice(ctx, device);
  const taken = tagNamesInText((await configText(ctx)) ?? '', device);
  const tag = await askTag({ prompter, client: ctx.gateway.client, target: { device }, addressBase: config.addressBase, taken }, `Add Tag to ${device}`);
  if (!tag) return undefined;
  return (await editTags(ctx, (text) => addTagsEdits(text, device, [tag]))) ? tag.name : undefined;
}

async function editTag(ctx: BifrostContext, arg: unknown): Promise<string | undefined> {
  const prompter = optionsOf(arg).prompter ?? vscode.window;
  const device = await deviceOf(ctx, arg, 'Device whose tag to edit');
  if (device === undefined) return undefined;
  const name = tagNameOf(arg) ?? (await pickTag(ctx, device, prompter, 'Tag to edit'));
  if (name === undefined) return undefined;
  const config = configuredDevice(ctx, device);
  const current = config.tags.find((tag) => tag.name === name);
  if (!current) throw new Error(`${device} has no tag named "${name}" in bifrost.json`);
  const taken = tagNamesInText((await configText(ctx)) ?? '', device).filter((n) => n !== name);
  const tag = await askTag({ prompter, client: ctx.gateway.client, target: { device }, addressBase: config.addressBase, taken }, `Edit Tag ${name}`, current);
  if (!tag) return undefined;
  return (await editTags(ctx, (text) => replaceTagEdits(text, device, name, tag))) ? tag.name : undefined;
}

async function removeTag(ctx: BifrostContext, arg: unknown): Promise<boolean> {
  const prompter = optionsOf(arg).prompter ?? vscode.window;
  const device = await deviceOf(ctx, arg, 'Device whose tag to remove');
  if (device === undefined) return false;
  const name = tagNameOf(arg) ?? (await pickTag(ctx, device, prompter, 'Tag to remove'));
  if (name === undefined) return false;
  const answer = await prompter.showWarningMessage(`Remove tag "${name}" from ${device} in bifrost.json?`, { modal: true }, 'Remove');
  if (answer !== 'Remove') return false;
  return editTags(ctx, (text) => removeTagEdits(text, device, name));
}

/** Registers the tag room's commands. */
export function activate(ctx: BifrostContext): void {
  ctx.registerCommand(TAG_COMMANDS.addTag, (arg) => addTag(ctx, arg));
  ctx.registerCommand(TAG_COMMANDS.editTag, (arg) => editTag(ctx, arg));
  ctx.registerCommand(TAG_COMMANDS.removeTag, (arg) => removeTag(ctx, arg));
  ctx.registerCommand(TAG_COMMANDS.importRegisterMap, async (arg) => {
    const device = await deviceOf(ctx, arg, 'Device to import the register map into');
    return device === undefined ? [] : importRegisterMap(ctx, device, { prompter: optionsOf(arg).prompter ?? vscode.window, file: optionsOf(arg).file });
  });
  ctx.registerCommand(TAG_COMMANDS.exportTags, async (arg) => {
    const device = await deviceOf(ctx, arg, 'Device whose tags to export');
    return device === undefined ? undefined : exportTags(ctx, device, optionsOf(arg).file);
  });
  ctx.registerGatewayCommand(TAG_COMMANDS.findValue, async ({ client }, arg) => {
    const device = optionsOf(arg).device ?? deviceNameFromArgument(arg) ?? (await resolveDevice(ctx, undefined, { placeHolder: 'Device to search', noneMessage: 'There are no devices yet.' }));
    if (device === undefined) return [];
    return findValue(ctx, client, deviceTarget(device, ctx.configStore.config), { prompter: optionsOf(arg).prompter ?? vscode.window });
  });
}

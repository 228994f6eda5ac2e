/**
 * The Tag Watch room. "Bifrost: Watch Tags…": from a device or tag node in the Devices tree (inline and
 * context menu, several selected tags at once), from the palette (pick a device, then
 * its tags), or with a device name (tests, other extensions). Each call opens a new
 * panel: several watches side by side is a feature.
 */
import * as vscode from 'vscode';
import type { BifrostContext } from '../bifrostContext';
import { entriesFromArguments, type WatchEntry } from './tagWatchEntries';
import { PanelSet } from '../ui/panelSet';
import { TagWatchPanel } from './tagWatchPanel';
import { entriesOfList, savedWatchLists, watchListNamed } from './watchLists';

export const WATCH_TAGS_COMMAND = 'bifrost.watchTags';

/** The open panels, for disposal on deactivation and for the extension-host tests. */
export class TagWatchPanels extends PanelSet<TagWatchPanel> {
  constructor(private readonly ctx: BifrostContext) {
    super();
  }

  show(entries: readonly WatchEntry[]): TagWatchPanel {
    return this.add(new TagWatchPanel(this.ctx, entries));
  }
}

/** Saved watch lists first (when bifrost.json has any), then "Choose tags…". */
async function pickEntries(ctx: BifrostContext): Promise<WatchEntry[] | undefined> {
  const lists = savedWatchLists(ctx.configStore);
  if (lists.length === 0) return pickTags(ctx);
  const choice = await vscode.window.showQuickPick(
    [
      ...lists.map((list) => ({ label: `$(list-unordered) ${list.name}`, description: `${list.tags.length} tags`, detail: 'Saved watch list', list })),
      { label: '$(add) Choose tags…', description: 'from a device', list: undefined },
    ],
    { placeHolder: 'A saved watch list, or tags to choose' },
  );
  if (!choice) return undefined;
  return choice.list ? entriesOfList(choice.list) : pickTags(ctx);
}

/** `{ watchList: name }` opens a saved list (tests, keybindings, other extensions). */
function entriesOfListArgument(ctx: BifrostContext, arg: unknown): WatchEntry[] | undefined {
  if (!arg || typeof arg !== 'object' || !('watchList' in arg) || typeof arg.watchList !== 'string') return undefined;
  const list = watchListNamed(ctx.configStore, arg.watchList);
  if (!list) throw new Error(`no watch list named "${arg.watchList}" in bifrost.json`);
  return entriesOfList(list);
}

async function pickTags(ctx: BifrostContext): Promise<WatchEntry[] | undefined> {
  const devices = ctx.deviceTree.model.devices();
  if (devices.length === 0) {
    void vscode.window.showInformationMessage('There are no devices to watch yet: the gateway has not reported any.');
    return undefined;
  }
  const device =
    devices.length === 1
      ? devices[0]
      : (
          await vscode.window.showQuickPick(
            devices.map((d) => ({ label: d.name, description: d.endpoint, detail: `${d.tags.length} tags`, device: d })),
            { placeHolder: 'Device whose tags to watch', matchOnDescription: true },
          )
        )?.device;
  if (!device) return undefined;
  const picks = await vscode.window.showQuickPick(
    device.tags.map((tag) => ({ label: tag.name, description: `${tag.address} · ${tag.type}`, picked: true, tag: tag.name })),
    { placeHolder: `Tags of ${device.name} to watch`, canPickMany: true, matchOnDescription: true },
  );
  if (!picks || picks.length === 0) return undefined;
  if (picks.length === device.tags.length) return [{ device: device.name }];
  return picks.map((pick) => ({ device: device.name, tag: pick.tag }));
}

/** Registers Watch Tags…; answers the open panels (for the test API). */
export function activate(ctx: BifrostContext): TagWatchPanels {
  const panels = ctx.own(new TagWatchPanels(ctx));
  ctx.registerCommand(WATCH_TAGS_COMMAND, async (arg, selection) => {
    const entries = entriesFromArguments(arg, selection) ?? entriesOfListArgument(ctx, arg) ?? (await pickEntries(ctx));
    if (!entries || entries.length === 0) return undefined;
    // Returned for tests and other extensions; the palette ignores it.
    return panels.show(entries);
  });
  return panels;
}

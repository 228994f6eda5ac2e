/**
 * Saved watch lists (`watches` in bifrost.json): offered by "Bifrost: Watch Tags…",
 * and written by a Tag Watch panel's "Save as watch list…" through the same
 * minimal-edit path as Add Device (configEdits.ts), so the user's file keeps its layout.
 */
import * as vscode from 'vscode';
import { demoConfig, DEMO_DEVICE_NAME, type WatchList } from '../../gateway/api';
import { addWatchListEdits } from '../config/configEdits';
import { configUriOrExplain, editConfig, fileExists, writeNewConfig } from '../config/configFile';
import type { ConfigStore } from '../config/configStore';
import type { WatchEntry } from './tagWatchEntries';

export function savedWatchLists(store: ConfigStore): WatchList[] {
  return store.config?.watches ?? [];
}

export function entriesOfList(list: WatchList): WatchEntry[] {
  return list.tags.map((t) => ({ device: t.device, tag: t.tag }));
}

/** A list by name (command argument `{ watchList: name }`), or undefined. */
export function watchListNamed(store: ConfigStore, name: string): WatchList | undefined {
  return savedWatchLists(store).find((list) => list.name === name);
}

/**
 * Asks for a name and appends `{ name, tags }` to bifrost.json. Without a file, the
 * demo's tags are saved in a new one holding the demo device (what the gateway runs).
 */
export async function saveWatchList(store: ConfigStore, tags: { device: string; tag: string }[], suggested: string): Promise<string | undefined> {
  if (tags.length === 0) throw new Error('there are no tags in this panel to save');
  const uri = configUriOrExplain(store);
  if (!uri) return undefined;
  const taken = new Set(savedWatchLists(store).map((list) => list.name));
  const name = await vscode.window.showInputBox({
    title: 'Save as watch list',
    prompt: `A name for these ${tags.length} tags in bifrost.json`,
    value: suggested,
    validateInput: (text) => (text.trim() === '' ? 'a watch list needs a name' : taken.has(text.trim()) ? `"${text.trim()}" is already a watch list` : undefined),
  });
  if (name === undefined) return undefined;
  const watch = { name: name.trim(), tags };
  if (!(await fileExists(uri))) {
    if (tags.some((t) => t.device !== DEMO_DEVICE_NAME)) throw new Error('bifrost.json does not exist');
    await writeNewConfig(store, uri, { ...demoConfig(), watches: [watch] });
    return watch.name;
  }
  return (await editConfig(store, uri, (text) => addWatchListEdits(text, watch))) ? watch.name : undefined;
}

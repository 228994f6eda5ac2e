/**
 * Writing `bifrost.json` on the user's behalf: create it, or edit it in place, keeping
 * the user's formatting (minimal text edits) and their unsaved work in an open editor.
 */
import { applyEdits } from 'jsonc-parser';
import * as vscode from 'vscode';
import { demoConfig, type BifrostConfigInput } from '../../gateway/api';
import { CONFIG_FILE_NAME, type ConfigStore } from './configStore';
import { configFileText, deviceNamesInText, type EditResult } from './configEdits';

/** The file's location, or undefined (after telling the user) when no folder is open. */
export function configUriOrExplain(store: ConfigStore): vscode.Uri | undefined {
  const uri = store.uri;
  if (!uri) void vscode.window.showErrorMessage(`Open a folder first: Bifrost keeps its devices in ${CONFIG_FILE_NAME} at the folder's root.`);
  return uri;
}

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The device names the file defines (none when it does not exist or cannot be read). */
export async function existingNames(uri: vscode.Uri, exists: boolean): Promise<string[]> {
  if (!exists) return [];
  try {
    return deviceNamesInText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    return [];
  }
}

export async function writeNewConfig(store: ConfigStore, uri: vscode.Uri, config: BifrostConfigInput): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(configFileText(config)));
  // Do not wait for the watcher: the tree should follow the command at once.
  await store.reload();
}

/**
 * Applies the edits `compute` returns to the file's current text.
 *
 * The disk is the truth unless the user is editing: with no unsaved change, the edits
 * go to the file itself and an open editor reloads from there. Editing through the
 * editor's document instead would compute on text that may lag behind the disk (the
 * file was just written by another command, git or another program) and save it back
 * over the newer file; its save also conflicts with a write VS Code has not seen yet.
 * A document with unsaved changes is edited but not saved: saving would also commit
 * whatever the user was in the middle of, so they are asked to save instead.
 */
export async function editConfig(store: ConfigStore, uri: vscode.Uri, compute: (text: string) => EditResult): Promise<boolean> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (!open || !open.isDirty) return editOnDisk(store, uri, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), compute);
  const result = compute(open.getText());
  if (!result.ok) {
    void vscode.window.showErrorMessage(result.error);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const change of result.edits) {
    const range = new vscode.Range(open.positionAt(change.offset), open.positionAt(change.offset + change.length));
    edit.replace(uri, range, change.content);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Bifrost could not edit ${CONFIG_FILE_NAME}.`);
    return false;
  }
  void vscode.window.showInformationMessage(`${CONFIG_FILE_NAME} has unsaved changes: save it to apply.`);
  return true;
}

/** The edits applied to the file as it is on disk; an open, unmodified editor reloads it from there. */
async function editOnDisk(store: ConfigStore, uri: vscode.Uri, disk: string, compute: (text: string) => EditResult): Promise<boolean> {
  const result = compute(disk);
  if (!result.ok) {
    void vscode.window.showErrorMessage(result.error);
    return false;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(applyEdits(disk, result.edits)));
  await store.reload();
  return true;
}

/** Bifrost: Create bifrost.json — the demo configuration, as a starting point to edit. */
export async function createConfig(store: ConfigStore): Promise<void> {
  const uri = configUriOrExplain(store);
  if (!uri) return;
  if (!(await fileExists(uri))) await writeNewConfig(store, uri, demoConfig());
  await vscode.window.showTextDocument(uri);
}

/**
 * Writing `bifrost.json` on the user's behalf: create it, or edit it in place with
 * a WorkspaceEdit (undoable, and it goes through an open editor rather than under it).
 */
import { applyEdits } from 'jsonc-parser';
import * as vscode from 'vscode';
import { demoConfig, type BifrostConfigInput } from '../../gateway/api';
import { CONFIG_FILE_NAME } from '../config/configStore';
import { configFileText, type EditResult } from '../config/configEdits';
import type { Services } from '../services';

/** The file's location, or undefined (after telling the user) when no folder is open. */
export function configUriOrExplain(services: Services): vscode.Uri | undefined {
  const uri = services.configStore.uri;
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

export async function writeNewConfig(services: Services, uri: vscode.Uri, config: BifrostConfigInput): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(configFileText(config)));
  // Do not wait for the watcher: the tree should follow the command at once.
  await services.configStore.reload();
}

/**
 * Applies the edits `compute` returns for the file's current text. A document with
 * unsaved changes is edited but not saved: saving would also commit whatever the
 * user was in the middle of, so they are asked to save instead.
 */
export async function editConfig(services: Services, uri: vscode.Uri, compute: (text: string) => EditResult): Promise<boolean> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open && !open.isDirty) {
    // An open editor with no unsaved change may not have caught up with the disk yet
    // (the file was just written by another command, git, or another program): edits
    // computed on its text would save that stale text back over the newer file.
    const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (open.getText() !== disk) return editOnDisk(services, uri, disk, compute);
  }
  const document = open ?? (await vscode.workspace.openTextDocument(uri));
  const result = compute(document.getText());
  if (!result.ok) {
    void vscode.window.showErrorMessage(result.error);
    return false;
  }
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  for (const change of result.edits) {
    const range = new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length));
    edit.replace(uri, range, change.content);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Bifrost could not edit ${CONFIG_FILE_NAME}.`);
    return false;
  }
  if (wasDirty) {
    void vscode.window.showInformationMessage(`${CONFIG_FILE_NAME} has unsaved changes: save it to apply.`);
    return true;
  }
  await document.save();
  await services.configStore.reload();
  return true;
}

/** The edits applied to the file as it is on disk; the unmodified editor reloads it from there. */
async function editOnDisk(services: Services, uri: vscode.Uri, disk: string, compute: (text: string) => EditResult): Promise<boolean> {
  const result = compute(disk);
  if (!result.ok) {
    void vscode.window.showErrorMessage(result.error);
    return false;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(applyEdits(disk, result.edits)));
  await services.configStore.reload();
  return true;
}

/** Bifrost: Create bifrost.json — the demo configuration, as a starting point to edit. */
export async function createConfig(services: Services): Promise<void> {
  const uri = configUriOrExplain(services);
  if (!uri) return;
  if (!(await fileExists(uri))) await writeNewConfig(services, uri, demoConfig());
  await vscode.window.showTextDocument(uri);
}

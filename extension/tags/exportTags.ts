/** Bifrost: Export Tags… — a device's tags as a register map (CSV, or TSV by the file's extension) that Import reads back. */
import * as vscode from 'vscode';
import { exportRegisterMap } from '../../gateway/api/codec/registerMap';
import type { BifrostContext } from '../bifrostContext';
import { configuredDevice } from './tagFile';

export async function exportTags(ctx: BifrostContext, deviceName: string, file?: vscode.Uri): Promise<string | undefined> {
  const device = configuredDevice(ctx, deviceName);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    file ??
    (await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${device.name}.csv`) : undefined,
      filters: { CSV: ['csv'], TSV: ['tsv'] },
      saveLabel: 'Export',
      title: `Export the tags of ${device.name}`,
    }));
  if (!uri) return undefined;
  const text = exportRegisterMap(device.tags, uri.path.toLowerCase().endsWith('.tsv') ? '\t' : ',');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  void vscode.window.setStatusBarMessage(`Bifrost: ${device.tags.length} tag(s) of ${device.name} exported`, 5000);
  return uri.fsPath;
}

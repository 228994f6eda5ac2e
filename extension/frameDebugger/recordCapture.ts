/**
 * Bifrost: Record Capture to Disk… and Bifrost: Stop Recording. The gateway writes
 * every frame to pcapng files itself (capture.record), so a long session keeps what
 * the Frame Debugger's ring of 10,000 frames forgets, even with no panel open.
 */
import * as vscode from 'vscode';
import type { RecordingStatus, RecordParams } from '../../gateway/api';
import type { GatewayClient } from '../gateway/gatewayConnection';

export const RECORD_COMMANDS = {
  record: 'bifrost.recordCapture',
  stop: 'bifrost.stopRecording',
} as const;

interface RotationChoice extends vscode.QuickPickItem {
  rotation: Pick<RecordParams, 'rotateMb' | 'keep'>;
}

const ROTATIONS: RotationChoice[] = [
  { label: 'One file', description: 'grows until you stop recording', rotation: {} },
  { label: 'New file every 100 MiB, keep the newest 10', description: 'at most about 1 GiB on disk', rotation: { rotateMb: 100, keep: 10 } },
  { label: 'New file every 10 MiB, keep the newest 5', description: 'at most about 50 MiB on disk', rotation: { rotateMb: 10, keep: 5 } },
];

/** Resolves with the recording's status, or undefined when the user cancelled. */
export async function recordCapture(client: GatewayClient): Promise<RecordingStatus | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `bifrost-${new Date().toISOString().replace(/[:.]/g, '-')}.pcapng`;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { 'Packet capture (pcapng)': ['pcapng'] },
    saveLabel: 'Record',
    title: 'Record the capture to',
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`the gateway records to its own disk: choose a local file, not ${uri.toString()}`);
  const choice = await vscode.window.showQuickPick(ROTATIONS, { title: 'How much to keep', placeHolder: 'One file, or rotating files' });
  if (!choice) return undefined;
  const status = await client.request('capture.record', { path: uri.fsPath, ...choice.rotation });
  void vscode.window.showInformationMessage(`Bifrost: recording every frame to ${uri.fsPath}. Stop with "Bifrost: Stop Recording".`);
  return status;
}

export async function stopRecording(client: GatewayClient): Promise<RecordingStatus> {
  const status = await client.request('capture.stopRecording', {});
  const where = status.files.length === 1 ? status.files[0] : `${status.filesWritten} files (the newest: ${status.files.at(-1) ?? 'none'})`;
  const message = status.path === undefined ? 'Bifrost: nothing is being recorded.' : `Bifrost: recorded ${status.frames} frames to ${where}.`;
  void vscode.window.showInformationMessage(status.error ? `${message} ${status.error}` : message);
  return status;
}

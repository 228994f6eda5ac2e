/**
 * The Frame Debugger panel's host side: one panel for every device and link. It keeps
 * a copy of the gateway's capture (bounded like the ring) so the page, discarded
 * while hidden, gets everything back in its snapshot when shown again; live batches
 * (already batched by the gateway every ~50 ms) go straight through while it is
 * visible. Decoding, replay and send are the gateway's; this file only relays them,
 * and writes the pcap file where the user chose.
 */
import * as vscode from 'vscode';
import { DEFAULT_CAPTURE_CAPACITY, type CapturedFrame } from '../../gateway/api/capture';
import {
  FRAME_DEBUGGER_VIEW_TYPE,
  FrameDebuggerCommands,
  FrameDebuggerRequests,
  type FrameDebuggerProtocol,
  type FrameDebuggerSnapshot,
} from '../../webviews/frameDebugger/protocol';
import { recordCapture } from './recordCapture';
import { requireClient, type GatewayClient, type GatewayConnection } from '../gateway/gatewayConnection';
import type { DisposableScope } from '../util/disposable';
import type { BifrostContext } from '../bifrostContext';
import { WebviewController } from '../ui/webviewController';
import { gatewayNotice } from '../gateway/gatewayNotice';
import { DecodeCache } from './decodeCache';

export class FrameDebuggerPanel implements vscode.Disposable {
  readonly controller: WebviewController<FrameDebuggerProtocol, typeof FrameDebuggerCommands, typeof FrameDebuggerRequests>;
  private frames: CapturedFrame[] = [];
  private capacity = DEFAULT_CAPTURE_CAPACITY;
  /** Summaries the page asked for, answered again without the gateway when the page is rebuilt. */
  private readonly decodeCache = new DecodeCache(DEFAULT_CAPTURE_CAPACITY);
  private dropped = 0;
  private droppedBy: Record<string, number> = {};
  private focusDevice: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: BifrostContext,
    /** The gateway whose frames it shows: the local one, or an attached one. */
    readonly gateway: GatewayConnection = ctx.gateway,
  ) {
    this.controller = new WebviewController({
      viewType: FRAME_DEBUGGER_VIEW_TYPE,
      title: gateway === ctx.gateway ? 'Frame Debugger' : `Frame Debugger: ${gateway.label}`,
      bundle: 'frameDebugger',
      extensionUri: ctx.extensionUri,
      log: ctx.log,
      messages: { commands: FrameDebuggerCommands, requests: FrameDebuggerRequests },
    });
    this.controller.setHandlers({
      snapshot: () => this.snapshot(),
      commands: {},
      // The page is page script: its params were checked against the protocol's schemas, and the gateway checks them again.
      requests: {
        'frames.decode': (params) => this.decodeCache.decode(params, () => this.client().request('frames.decode', params)),
        'capture.clear': async () => {
          await this.client().request('capture.clear', {});
          this.frames = [];
          this.dropped = 0;
          this.droppedBy = {};
          return {};
        },
        'capture.replay': ({ frameId }) => this.client().request('capture.replay', { frameId }, { timeoutMs: 30_000 }),
        'capture.send': ({ device, hex }) => this.client().request('capture.send', { device, hex }, { timeoutMs: 30_000 }),
        'capture.prepare': ({ device, hex }) => this.client().request('capture.prepare', { device, hex }),
        'capture.record': async () => {
          // The palette command's own flow (where, how much to keep); it says how to stop.
          const status = await recordCapture(this.client());
          return status?.path === undefined ? {} : { path: status.path };
        },
        'capture.exportPcap': ({ device }) => this.exportPcap(device),
      },
    });
    this.subscriptions.push(
      ctx.onConnection((client, scope) => void this.follow(client, scope), gateway),
      gateway.onDidChangeState(() => this.controller.refresh()),
      this.controller.onDidDispose(() => this.dispose()),
    );
  }

  get onDidDispose(): vscode.Event<void> {
    return this.controller.onDidDispose;
  }

  /** Show the panel, filtered to `device` when one is given (device context menu). */
  focus(device: string | undefined): void {
    this.focusDevice = device;
    this.controller.reveal();
    if (device !== undefined) this.controller.refresh();
  }

  private async follow(client: GatewayClient, scope: DisposableScope): Promise<void> {
    scope.add(client.onEvent('frames', ({ frames }) => this.onFrames(frames)));
    try {
      // The gateway streams frames only to connections that ask (per connection: asked again after a restart).
      await client.request('capture.watch', { live: true });
      const snapshot = await client.request('capture.snapshot', {});
      // Batches that arrived while the snapshot was on its way may be in both: keep one of each.
      const newest = snapshot.frames.at(-1)?.id ?? 0;
      this.frames = [...snapshot.frames, ...this.frames.filter((f) => f.id > newest)];
      this.capacity = snapshot.capacity;
      this.dropped = snapshot.dropped;
      this.droppedBy = snapshot.droppedBy;
    } catch (error) {
      this.ctx.log.warn(`frame debugger: capture.snapshot failed: ${String(error)}`);
    }
    this.controller.refresh();
  }

  private onFrames(frames: CapturedFrame[]): void {
    this.frames.push(...frames);
    const over = this.frames.length - this.capacity;
    if (over > 0) {
      this.frames.splice(0, over);
      this.dropped += over;
    }
    this.controller.notifyLive({ kind: 'notification', method: 'frames', params: { frames } });
  }

  private snapshot(): FrameDebuggerSnapshot {
    const notice = gatewayNotice(this.gateway, this.gateway === this.ctx.gateway, 'no frames are captured');
    return {
      frames: this.frames,
      capacity: this.capacity,
      dropped: this.dropped,
      droppedBy: this.droppedBy,
      devices: (this.ctx.devicesTree.treeOf(this.gateway.id) ?? this.ctx.deviceTree).model.devices().map((d) => d.name),
      ...(this.focusDevice === undefined ? {} : { focusDevice: this.focusDevice }),
      ...(notice === undefined ? {} : { notice }),
    };
  }

  private client(): GatewayClient {
    return requireClient(this.gateway);
  }

  private async exportPcap(device: string | undefined): Promise<{ path?: string; frames: number }> {
    const exported = await this.client().request('capture.exportPcap', device === undefined ? {} : { device });
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `bifrost-${new Date().toISOString().replace(/[:.]/g, '-')}.pcap`;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { 'Packet capture': ['pcap'] },
      saveLabel: 'Export',
    });
    if (!uri) return { frames: exported.frames };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(exported.base64, 'base64'));
    return { path: uri.fsPath, frames: exported.frames };
  }

  dispose(): void {
    // Nobody looks any more: the gateway stops streaming frames to us (they stay in its ring).
    this.gateway.client?.request('capture.watch', { live: false }).catch(() => {});
    for (const subscription of this.subscriptions) subscription.dispose();
    this.controller.dispose();
  }
}

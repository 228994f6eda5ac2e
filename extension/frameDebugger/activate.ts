/**
 * The Frame Debugger room: Record Capture to Disk… and Stop Recording, and
 * "Bifrost: Open Frame Debugger": from the palette, the Devices view's title bar, or a
 * device's context menu (then filtered to that device). One panel serves every device,
 * so a second call reveals it instead of opening another.
 */
import * as vscode from 'vscode';
import type { BifrostContext } from '../bifrostContext';
import type { GatewayConnection } from '../gateway/gatewayConnection';
import { FrameDebuggerPanel } from './frameDebuggerPanel';
import { RECORD_COMMANDS, recordCapture, stopRecording } from './recordCapture';

export const OPEN_FRAME_DEBUGGER_COMMAND = 'bifrost.openFrameDebugger';

/** A device node from the tree, or a device name (tests, other extensions). */
function deviceOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'device' && 'name' in arg && typeof arg.name === 'string') return arg.name;
  return undefined;
}

/** One panel per gateway: the local one's, and one for each attached gateway asked for. */
export class FrameDebuggerPanels implements vscode.Disposable {
  private readonly panels = new Map<string, FrameDebuggerPanel>();

  constructor(private readonly ctx: BifrostContext) {}

  /** The local gateway's panel. */
  get current(): FrameDebuggerPanel | undefined {
    return this.panels.get(this.ctx.gateway.id);
  }

  show(device: string | undefined, gateway: GatewayConnection = this.ctx.gateway): FrameDebuggerPanel {
    let panel = this.panels.get(gateway.id);
    if (!panel) {
      const opened = new FrameDebuggerPanel(this.ctx, gateway);
      panel = opened;
      this.panels.set(gateway.id, opened);
      opened.onDidDispose(() => {
        if (this.panels.get(gateway.id) === opened) this.panels.delete(gateway.id);
      });
    }
    panel.focus(device);
    return panel;
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}

export function activate(ctx: BifrostContext): FrameDebuggerPanels {
  const panels = ctx.own(new FrameDebuggerPanels(ctx));
  ctx.registerCommand(OPEN_FRAME_DEBUGGER_COMMAND, (arg) => panels.show(deviceOf(arg), ctx.gatewayOf(arg)));
  ctx.registerGatewayCommand(RECORD_COMMANDS.record, async ({ client }) => void (await recordCapture(client)));
  ctx.registerGatewayCommand(RECORD_COMMANDS.stop, async ({ client }) => void (await stopRecording(client)));
  return panels;
}

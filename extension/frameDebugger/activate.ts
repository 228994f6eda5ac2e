/**
 * The Frame Debugger room: Record Capture to Disk… and Stop Recording, and
 * "Bifrost: Open Frame Debugger": from the palette, the Devices view's title bar, or a
 * device's context menu (then filtered to that device). One panel serves every device,
 * so a second call reveals it instead of opening another.
 */
import * as vscode from 'vscode';
import type { BifrostContext } from '../bifrostContext';
import { FrameDebuggerPanel } from './frameDebuggerPanel';
import { RECORD_COMMANDS, recordCapture, stopRecording } from './recordCapture';

export const OPEN_FRAME_DEBUGGER_COMMAND = 'bifrost.openFrameDebugger';

/** A device node from the tree, or a device name (tests, other extensions). */
function deviceOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'device' && 'name' in arg && typeof arg.name === 'string') return arg.name;
  return undefined;
}

export class FrameDebuggerPanels implements vscode.Disposable {
  private panel: FrameDebuggerPanel | undefined;

  constructor(private readonly ctx: BifrostContext) {}

  get current(): FrameDebuggerPanel | undefined {
    return this.panel;
  }

  show(device: string | undefined): FrameDebuggerPanel {
    if (!this.panel) {
      const panel = new FrameDebuggerPanel(this.ctx);
      this.panel = panel;
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
    }
    this.panel.focus(device);
    return this.panel;
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }
}

export function activate(ctx: BifrostContext): FrameDebuggerPanels {
  const panels = ctx.own(new FrameDebuggerPanels(ctx));
  ctx.registerCommand(OPEN_FRAME_DEBUGGER_COMMAND, (arg) => panels.show(deviceOf(arg)));
  ctx.registerGatewayCommand(RECORD_COMMANDS.record, async ({ client }) => void (await recordCapture(client)));
  ctx.registerGatewayCommand(RECORD_COMMANDS.stop, async ({ client }) => void (await stopRecording(client)));
  return panels;
}

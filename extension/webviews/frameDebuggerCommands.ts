/**
 * "Bifrost: Open Frame Debugger": from the palette, the Devices view's title bar, or a
 * device's context menu (then filtered to that device). One panel serves every device,
 * so a second call reveals it instead of opening another.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { FrameDebuggerPanel } from './frameDebuggerPanel';

export const OPEN_FRAME_DEBUGGER_COMMAND = 'bifrost.openFrameDebugger';

/** A device node from the tree, or a device name (tests, other extensions). */
function deviceOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'device' && 'name' in arg && typeof arg.name === 'string') return arg.name;
  return undefined;
}

export class FrameDebuggerPanels implements vscode.Disposable {
  private panel: FrameDebuggerPanel | undefined;

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {}

  get current(): FrameDebuggerPanel | undefined {
    return this.panel;
  }

  show(device: string | undefined): FrameDebuggerPanel {
    if (!this.panel) {
      const panel = new FrameDebuggerPanel(this.services, this.extensionUri);
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

export function registerFrameDebugger(panels: FrameDebuggerPanels): vscode.Disposable[] {
  return [vscode.commands.registerCommand(OPEN_FRAME_DEBUGGER_COMMAND, (arg?: unknown) => panels.show(deviceOf(arg)))];
}

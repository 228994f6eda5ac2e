/** The open panels of one kind: several side by side, each gone from the set when closed, all closed on deactivation. */
import type * as vscode from 'vscode';

export interface OpenPanel {
  readonly onDidDispose: vscode.Event<void>;
  dispose(): void;
}

export class PanelSet<P extends OpenPanel> implements vscode.Disposable {
  private readonly open = new Set<P>();

  get panels(): readonly P[] {
    return [...this.open];
  }

  add(panel: P): P {
    this.open.add(panel);
    panel.onDidDispose(() => this.open.delete(panel));
    return panel;
  }

  dispose(): void {
    for (const panel of this.open) panel.dispose();
    this.open.clear();
  }
}

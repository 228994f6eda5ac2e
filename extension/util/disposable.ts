/** The `{ dispose() }` shape shared with `vscode.Disposable`, without importing vscode. */
export interface Disposable {
  dispose(): void;
}

/**
 * A minimal typed listener list for the vscode-free modules (the channel client).
 * A throwing listener is reported to `onListenerError` and never stops the others.
 */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  add(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

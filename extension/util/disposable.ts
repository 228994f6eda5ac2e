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

/** A collection of disposables disposed together, once; what is added after that is disposed at once. */
export class DisposableScope implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Last in, first out: what was set up later may depend on what came before.
    for (const item of this.items.splice(0).reverse()) item.dispose();
  }
}

/** A collection of disposables disposed together, once; what is added after that is disposed at once. */
import type { Disposable } from './disposable';

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

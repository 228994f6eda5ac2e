/**
 * Tree nodes by key, created once and then reused. VS Code matches the elements of
 * onDidChangeTreeData and reveal() by identity, so a node must stay the same object
 * for as long as what it stands for exists; prune() forgets the rest.
 */
export class NodeCache<N> {
  private readonly nodes = new Map<string, N>();

  get(key: string, make: () => N): N {
    let node = this.nodes.get(key);
    if (!node) {
      node = make();
      this.nodes.set(key, node);
    }
    return node;
  }

  /** Forget every node for which `exists` is false. */
  prune(exists: (node: N, key: string) => boolean): void {
    for (const [key, node] of this.nodes) if (!exists(node, key)) this.nodes.delete(key);
  }
}

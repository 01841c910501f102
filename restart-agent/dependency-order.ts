/**
 * Boot phase 5's order: a process starts after the processes whose endpoints it names, and
 * the members of a cycle start together. Tarjan's algorithm finds the strongly connected
 * components and emits each one only after every component it depends on, which is exactly
 * a start order. Iterative, so that 100,000 processes do not overflow the stack.
 */
export type Node = number;

/** Groups of nodes in start order; nodes within a group sorted ascending. */
export function startOrder(nodes: readonly Node[], dependsOn: (n: Node) => readonly Node[]): Node[][] {
  const index = new Map<Node, number>();
  const low = new Map<Node, number>();
  const onStack = new Set<Node>();
  const stack: Node[] = [];
  const groups: Node[][] = [];
  let counter = 0;
  const known = new Set(nodes);
  const sorted = [...nodes].sort((a, b) => a - b);

  for (const root of sorted) {
    if (index.has(root)) continue;
    // Each frame: a node and the position in its dependency list.
    const frames: { node: Node; deps: readonly Node[]; at: number }[] = [];
    const open = (n: Node): void => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      frames.push({ node: n, deps: [...dependsOn(n)].filter((d) => known.has(d)).sort((a, b) => a - b), at: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.at < frame.deps.length) {
        const dep = frame.deps[frame.at++] as Node;
        if (!index.has(dep)) open(dep);
        else if (onStack.has(dep)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(dep) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: Node[] = [];
        for (;;) {
          const n = stack.pop() as Node;
          onStack.delete(n);
          group.push(n);
          if (n === frame.node) break;
        }
        groups.push(group.sort((a, b) => a - b));
      }
    }
  }
  return groups;
}

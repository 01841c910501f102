/**
 * Boot phase 5's order: a process starts after the processes whose endpoints it names, and
 * the members of a cycle start together. Tarjan's algorithm finds the strongly connected
 * components and emits each one only after every component it depends on, which is exactly
 * a start order. Iterative (an explicit frame stack), so 100,000 processes in a chain do not
 * overflow the call stack; nodes are renumbered densely so the bookkeeping is typed arrays.
 */
export type Node = number;

/** Groups of nodes in start order; nodes within a group sorted ascending. */
export function startOrder(nodes: readonly Node[], dependsOn: (n: Node) => readonly Node[]): Node[][] {
  const sorted = [...nodes].sort((a, b) => a - b);
  const n = sorted.length;
  const position = new Map<Node, number>();
  for (let i = 0; i < n; i++) position.set(sorted[i] as Node, i);

  // Every node's dependency positions, sorted, in one flat array (node `at` owns
  // deps[depStart[at]..depStart[at + 1]]): one allocation instead of a typed array per node,
  // which at 100,000 processes was most of this function's time and garbage.
  const depStart = new Int32Array(n + 1);
  const flat: number[] = [];
  for (let at = 0; at < n; at++) {
    depStart[at] = flat.length;
    for (const d of dependsOn(sorted[at] as Node)) {
      const p = position.get(d);
      if (p !== undefined) flat.push(p);
    }
  }
  depStart[n] = flat.length;
  const deps = Int32Array.from(flat);
  for (let at = 0; at < n; at++) sortRange(deps, depStart[at] as number, depStart[at + 1] as number);

  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  // The frame stack: a node being visited and how far through its dependencies it got.
  const frameNode = new Int32Array(n);
  const frameAt = new Int32Array(n);
  let frames = 0;
  let counter = 0;
  const groups: Node[][] = [];

  const open = (at: number): void => {
    index[at] = counter;
    low[at] = counter;
    counter++;
    stack[stackTop++] = at;
    onStack[at] = 1;
    frameNode[frames] = at;
    frameAt[frames] = depStart[at] as number;
    frames++;
  };

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    open(root);
    while (frames > 0) {
      const f = frames - 1;
      const at = frameNode[f] as number;
      const next = frameAt[f] as number;
      if (next < (depStart[at + 1] as number)) {
        frameAt[f] = next + 1;
        const dep = deps[next] as number;
        if (index[dep] === -1) open(dep);
        else if (onStack[dep] === 1) low[at] = Math.min(low[at] as number, index[dep] as number);
        continue;
      }
      frames--;
      if (frames > 0) {
        const parent = frameNode[frames - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[at] as number);
      }
      if (low[at] === index[at]) {
        const group: Node[] = [];
        for (;;) {
          const member = stack[--stackTop] as number;
          onStack[member] = 0;
          group.push(sorted[member] as Node);
          if (member === at) break;
        }
        groups.push(group.sort((a, b) => a - b));
      }
    }
  }
  return groups;
}

/** Sorts deps[from..to) ascending in place: insertion sort for the usual handful, else a view's sort. */
function sortRange(deps: Int32Array, from: number, to: number): void {
  if (to - from > 16) {
    deps.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = deps[i] as number;
    let j = i - 1;
    while (j >= from && (deps[j] as number) > v) {
      deps[j + 1] = deps[j] as number;
      j--;
    }
    deps[j + 1] = v;
  }
}

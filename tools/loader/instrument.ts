/**
 * The crank budget's instrumentation: a step check at every function entry and every loop
 * iteration of a module's code, inserted at load time. A program cannot run long without
 * passing one, since only a loop or a call (recursion) makes code run longer than its text;
 * builtins that take long on their own (a huge sort, a pathological regular expression) are not
 * counted. The step function is bound by the module wrapper under a reserved name that no
 * source may use (checked while bundling), so a program can neither shadow nor call it.
 *
 * Insertions are made in the text at the positions acorn's parse gives: nothing else of the
 * code changes. (acorn, not the TypeScript parser: the code is JavaScript by now, and acorn
 * loads in milliseconds where TypeScript takes most of a second.)
 */
import { parse, type Node } from 'acorn';

export const STEP = '$capsim$step';
const CHECK = `${STEP}();`;

interface Edit {
  pos: number;
  text: string;
  /** At one position, closings go first (inner before outer), then openings (outer before inner). */
  rank: number;
}

type AnyNode = Node & Record<string, unknown>;

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

export function instrument(code: string): string {
  const root = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true }) as unknown as AnyNode;
  const edits: Edit[] = [];
  const wrap = (body: AnyNode, depth: number, open: string, close: string): void => {
    edits.push({ pos: body.start, text: open, rank: depth });
    edits.push({ pos: body.end, text: close, rank: -depth - 1_000_000 });
  };
  // An explicit stack, not recursion: a deeply nested module must not overflow the loader.
  const todo: Array<[AnyNode, number]> = [[root, 0]];
  while (todo.length > 0) {
    const [node, depth] = todo.pop() as [AnyNode, number];
    if (FUNCTIONS.has(node.type)) {
      const body = node.body as AnyNode;
      if (body.type === 'BlockStatement') edits.push({ pos: body.start + 1, text: CHECK, rank: depth });
      else wrap(body, depth, `(${STEP}(), `, ')');
    } else if (node.type === 'StaticBlock') {
      edits.push({ pos: code.indexOf('{', node.start) + 1, text: CHECK, rank: depth });
    } else if (LOOPS.has(node.type)) {
      const body = node.body as AnyNode;
      if (body.type === 'BlockStatement') edits.push({ pos: body.start + 1, text: CHECK, rank: depth });
      else wrap(body, depth, `{ ${CHECK} `, ' }');
    }
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) todo.push([item, depth + 1]);
      } else if (isNode(value)) todo.push([value, depth + 1]);
    }
  }
  edits.sort((a, b) => a.pos - b.pos || a.rank - b.rank);
  const parts: string[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(code.slice(at, edit.pos), edit.text);
    at = edit.pos;
  }
  parts.push(code.slice(at));
  return parts.join('');
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

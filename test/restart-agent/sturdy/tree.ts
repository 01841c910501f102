/** The capabilities derived from one, for checks that walk a sturdy reference's anchor. */
import type { Cap } from '../../../kernel/index.ts';

export function descendantsOf(root: Cap): Cap[] {
  const out: Cap[] = [];
  const stack: Cap[] = [];
  for (let c = root.firstChild; c !== null; c = c.nextSibling) stack.push(c);
  while (stack.length > 0) {
    const cap = stack.pop() as Cap;
    out.push(cap);
    for (let c = cap.firstChild; c !== null; c = c.nextSibling) stack.push(c);
  }
  return out;
}

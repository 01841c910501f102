/**
 * Small systems the unit tests share.
 *
 * pair(): 'b' owns an endpoint in slot 0; 'a' is persistent (its store capability in slot 0) and
 * holds a full capability to b's endpoint in slot 1 and a storage object in slot 2. Each has its
 * poke endpoint in the last slot. Both started.
 */
import type { Limits, ObjectId } from '../../../kernel/index.ts';
import { Lab, type Behaviour, type LabOptions } from './lab.ts';

export const A_STORE = 0;
export const A_TO_B = 1;
export const A_STORAGE = 2;
export const B_ENDPOINT = 0;

export interface Pair {
  lab: Lab;
  a: ObjectId;
  b: ObjectId;
  endpoint: ObjectId;
  storage: ObjectId;
}

export function pair(behaviours: { a?: Behaviour; b?: Behaviour } = {}, options: LabOptions & { limits?: Partial<Limits> } = {}): Pair {
  const lab = new Lab(options);
  const b = lab.spawn('b', behaviours.b ?? {});
  const a = lab.spawn('a', behaviours.a ?? {}, { persistent: true });
  const endpoint = lab.endpoint('b', B_ENDPOINT).id;
  lab.grant('b', B_ENDPOINT, 'a', { slot: A_TO_B });
  const storage = lab.kernel.createStorage(a, { n: 1 }, { slot: A_STORAGE }).id;
  lab.pokeEndpoint('a');
  lab.pokeEndpoint('b');
  lab.kernel.startAll();
  return { lab, a, b, endpoint, storage };
}

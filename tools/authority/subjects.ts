/**
 * What the authority analysis reads: subjects (capDL's TCBs, or capsim's processes), each with
 * the capabilities it holds, reduced to what STCC.hs looks at — the object, its kind, and the
 * rights R (receive/read), W (send/write), G (grant). A front end (from-capdl.ts,
 * from-kernel.ts) does the reducing; the analysis (analyse.ts) knows neither capDL nor kernels.
 */
export type AbstractRight = 'R' | 'W' | 'G';

export type AbstractKind = 'endpoint' | 'notification' | 'frame' | 'cnode' | 'tcb' | 'other';

export interface AbstractCap {
  /** A key unique per object (an endpoint's reply channel is an object of its own). */
  object: string;
  kind: AbstractKind;
  rights: ReadonlySet<AbstractRight>;
  /** How a person reads this capability: what it names, with what rights, where it sits. */
  label: string;
  /**
   * False for authority a subject has without holding it as a capability (a capsim owner
   * receives on its endpoint and answers its callers): it counts for the relations, but is
   * nothing another subject could obtain.
   */
  transferable: boolean;
}

export interface Subject {
  name: string;
  caps: AbstractCap[];
}

export interface AuthorityInput {
  /** Names the input in reports: a file, or a system after N cranks. */
  title: string;
  subjects: Subject[];
}

export function rightsSet(letters: string): Set<AbstractRight> {
  const out = new Set<AbstractRight>();
  for (const ch of letters) if (ch === 'R' || ch === 'W' || ch === 'G') out.add(ch);
  return out;
}

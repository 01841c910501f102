/** Tab-completion candidates that several commands share: processes, slots, endpoints, programs. */
import type { Session } from './session.ts';
import { processArg } from './args.ts';

/** Every pid as 'p7' and every program name. */
export function processWords(session: Session): string[] {
  const ps = session.processes();
  return [...ps.map((p) => `p${p.id}`), ...new Set(ps.map((p) => p.program))];
}

/** The occupied slots of the process `ref` names; nothing when it names none. */
export function slotWords(session: Session, ref: string | undefined): string[] {
  if (ref === undefined) return [];
  return [...processArg(session, ref).cspace.entries()].map(([slot]) => String(slot));
}

export function endpointWords(session: Session): string[] {
  return [...session.endpointNames().keys()].sort();
}

export function programWords(session: Session): string[] {
  return Object.keys(session.spec.programs).sort();
}

/**
 * Reading command arguments: processes, slots, counts, rights and JSON. Each reader names
 * the argument and what it expected, so a typo at the prompt gives one line that says how to
 * fix it.
 */
import { parseRights, type PlainData, type Process, type Rights } from '../../kernel/index.ts';
import { ReplError } from './command.ts';
import type { Session } from './session.ts';

/** Exactly `min`..`max` arguments, or a usage line. */
export function expectArgs(args: readonly string[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new ReplError(`usage: ${usage}`);
}

/** A process by pid ('7' or 'p7') or by program name, which must be unambiguous. */
export function processArg(session: Session, ref: string): Process {
  const all = session.processes();
  const known = all.map((p) => `p${p.id} ${p.program}`).join(', ');
  const asPid = /^p?(\d+)$/.exec(ref);
  if (asPid) {
    const p = all.find((q) => q.id === Number(asPid[1]));
    if (p) return p;
    throw new ReplError(`no process ${ref} (processes: ${known})`);
  }
  const named = all.filter((p) => p.program === ref);
  if (named.length === 1 && named[0]) return named[0];
  if (named.length > 1) throw new ReplError(`${named.length} processes run '${ref}' (${named.map((p) => `p${p.id}`).join(', ')}): name one by pid`);
  throw new ReplError(`no process runs program '${ref}' (processes: ${known})`);
}

export function slotArg(word: string): number {
  if (!/^\d+$/.test(word)) throw new ReplError(`a slot is a whole number, got '${word}'`);
  return Number(word);
}

/** A count with a default when absent, and a bound so that no command runs away. */
export function countArg(word: string | undefined, what: string, fallback: number, max: number): number {
  if (word === undefined) return fallback;
  const n = Number(word);
  if (!/^\d+$/.test(word) || !Number.isSafeInteger(n)) throw new ReplError(`${what} is a whole number, got '${word}'`);
  if (n > max) throw new ReplError(`${what} is at most ${max}, got ${n}`);
  return n;
}

export function jsonArg(word: string, what: string): PlainData {
  try {
    return JSON.parse(word) as PlainData;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ReplError(`${what} is not JSON (${reason}): ${word} — strings need double quotes, e.g. "tick"`);
  }
}

const RIGHTS_WORD = /^[rwgk-]+$/;

export function isRightsWord(word: string): boolean {
  return RIGHTS_WORD.test(word);
}

export function rightsArg(word: string): Rights {
  if (!isRightsWord(word)) throw new ReplError(`rights are letters r (read), w (write), g (grant), k (weak), got '${word}'`);
  return parseRights(word);
}

/**
 * The optional tail of grant and mint: a badge (a number) and `as NAME`, in either order. A
 * name makes the capability part of the holder's persistent named set. The name needs its
 * keyword so that a mistyped rights word (`rx`) is an error, never a name beside full rights.
 */
export function badgeAndName(words: readonly string[]): { badge?: number; name?: string } {
  const out: { badge?: number; name?: string } = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (/^\d+$/.test(w)) {
      if (out.badge !== undefined) throw new ReplError(`two badges given: ${out.badge} and ${w}`);
      const badge = Number(w);
      if (!Number.isSafeInteger(badge)) throw new ReplError(`badge ${w} is too large`);
      out.badge = badge;
    } else if (w === 'as') {
      const name = words[++i];
      if (name === undefined) throw new ReplError("'as' needs the name to register the capability under");
      if (out.name !== undefined) throw new ReplError(`two names given: '${out.name}' and '${name}'`);
      out.name = name;
    } else {
      throw new ReplError(`'${w}' is not rights (letters r w g k), a badge (a number) or 'as NAME'`);
    }
  }
  return out;
}

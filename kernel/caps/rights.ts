/**
 * Rights are a bitmask. WEAK is the EROS/KeyKOS "sensory" bit: a weak capability is read-only,
 * and every capability obtained through it arrives weak too, so weakness is transitive.
 * The numeric values are part of the persistent format (the store records them as numbers).
 */
export const READ = 1;
export const WRITE = 2;
export const GRANT = 4;
export const WEAK = 8;
export const ALL_RIGHTS = READ | WRITE | GRANT;
export const RIGHTS_MASK = READ | WRITE | GRANT | WEAK;

export type Rights = number;

export function hasRights(held: Rights, needed: Rights): boolean {
  return (held & needed) === needed;
}

/**
 * True when `derived` carries no authority that `source` lacks. WEAK is a restriction, so a
 * weak source may only yield weak capabilities, while a strong source may yield weak ones.
 */
export function isDiminished(source: Rights, derived: Rights): boolean {
  const authority = READ | WRITE | GRANT;
  if ((derived & authority & ~source) !== 0) return false;
  if ((source & WEAK) !== 0 && (derived & WEAK) === 0) return false;
  return true;
}

/** The rights a capability can exercise: a weak one is read-only whatever other bits it carries. */
export function usable(rights: Rights): Rights {
  return (rights & WEAK) !== 0 ? rights & READ : rights;
}

/** What a capability becomes when obtained through a weak one: weak and read-only. */
export function weaken(rights: Rights): Rights {
  return (rights & READ) | WEAK;
}

export function formatRights(rights: Rights): string {
  let text = '';
  text += rights & READ ? 'r' : '-';
  text += rights & WRITE ? 'w' : '-';
  text += rights & GRANT ? 'g' : '-';
  if (rights & WEAK) text += 'k';
  return text;
}

export function parseRights(text: string): Rights {
  let rights = 0;
  for (const ch of text) {
    if (ch === 'r') rights |= READ;
    else if (ch === 'w') rights |= WRITE;
    else if (ch === 'g') rights |= GRANT;
    else if (ch === 'k') rights |= WEAK;
    else if (ch !== '-') throw new RangeError(`unknown right '${ch}' in '${text}' (use r, w, g, k)`);
  }
  return rights;
}

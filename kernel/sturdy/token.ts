/**
 * The form of a sturdy reference: `sturdy1-<id>-<secret>`, the id in decimal and the secret as
 * 32 lowercase hex digits (128 bits). Plain text, so that a program may keep it in its storage,
 * send it in a message or hand it to a client outside the machine. The id only finds the
 * record; the secret is what proves the holder was given the token.
 */
export const SECRET_BYTES = 16;

const TOKEN_FORM = /^sturdy1-([1-9][0-9]{0,15})-([0-9a-f]{32})$/;
/**
 * Anywhere in a text: what trace and report writers blank out. Any run of secret digits counts,
 * so that a token cut short by a text's length limit leaks none of its secret either.
 */
const TOKEN_IN_TEXT = /sturdy1-([0-9]{1,16})-[0-9a-f]{1,32}/g;

export interface ParsedToken {
  id: number;
  secret: Uint8Array;
}

export function formatToken(id: number, secret: Uint8Array): string {
  return `sturdy1-${id}-${Buffer.from(secret).toString('hex')}`;
}

/** The token's parts, or null for anything that is not a token's form. */
export function parseToken(token: unknown): ParsedToken | null {
  if (typeof token !== 'string') return null;
  const m = TOKEN_FORM.exec(token);
  if (m === null) return null;
  const id = Number(m[1]);
  if (!Number.isSafeInteger(id)) return null;
  return { id, secret: Uint8Array.from(Buffer.from(m[2] as string, 'hex')) };
}

/** The text with every token's secret replaced, so that traces and reports never show one. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_IN_TEXT, 'sturdy1-$1-<secret>');
}

/** Plain data with every token's secret blanked out in its strings (for reports that print states and payloads). */
export function redactData<T>(value: T): T {
  if (typeof value === 'string') return redactTokens(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactData(v)) as T;
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactData(v);
    return out as T;
  }
  return value;
}

/**
 * The known word nearest a mistyped one, for "did you mean": edit distance (insertions,
 * deletions, substitutions, and swaps of neighbours, as typos are), at most 2 and less than
 * half the word, so that a suggestion is a likely fix rather than any short word.
 */

/** Words longer than this are not compared: no command is, and the table stays small. */
const WORD_MAX = 64;

export function nearestWord(typed: string, known: readonly string[]): string | null {
  if (typed.length === 0 || typed.length > WORD_MAX) return null;
  let best: string | null = null;
  let bestDistance = Math.min(2, Math.floor(typed.length / 2));
  for (const word of known) {
    if (word.length > WORD_MAX) continue;
    const d = distance(typed, word);
    if (d <= bestDistance && (best === null || d < distance(typed, best))) {
      best = word;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance. */
export function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = d;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * verifyStore: reads every record and lists every one that fails its checksum or its shape
 * check, or that sits under a key no keeper owns. It never throws for damage: it reports it.
 */
import { decodeOrDamaged } from './keepers/kind.ts';
import { kindOfKey } from './keepers/index.ts';
import { META_KEY, META_NAME, decodeMeta } from './keepers/meta.ts';
import { WHOLE_RANGE } from './keys.ts';
import type { Store } from './store.ts';
import type { Kv } from './backend/kv.ts';
import { isDamaged } from './records.ts';

export interface VerifyReport {
  /** Records read, damaged ones included. */
  records: number;
  damaged: { record: string; reason: string }[];
}

export function verifyStore(store: Store): Promise<VerifyReport> {
  return store.verify();
}

/** The walk itself, on the store's own backend (and its fault layer). */
export async function verifyKv(kv: Kv): Promise<VerifyReport> {
  const report: VerifyReport = { records: 0, damaged: [] };
  for await (const chunk of kv.chunks(WHOLE_RANGE)) {
    for (const [key, value] of chunk) {
      report.records++;
      const problem = check(key, value);
      if (problem !== null) report.damaged.push(problem);
    }
  }
  return report;
}

function check(key: string, value: Uint8Array): { record: string; reason: string } | null {
  if (key === META_KEY) {
    try {
      decodeMeta(value);
      return null;
    } catch (error) {
      return { record: META_NAME, reason: (error as Error).message };
    }
  }
  const kind = kindOfKey(key);
  if (kind === undefined) return { record: `unknown key ${JSON.stringify(key)}`, reason: 'no record kind owns this key' };
  const decoded = decodeOrDamaged(kind, key, value);
  return isDamaged(decoded) ? { record: decoded.record, reason: decoded.reason } : null;
}

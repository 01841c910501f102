/**
 * The `-- capsim:` lines an export writes: one JSON object per line, for what capDL has no word
 * for (a process's program and arguments, an endpoint's owner, storage data, a weak right, a
 * name capDL cannot spell). Plain capDL has none, and imports by the default rules.
 */
import type { PlainData, RestartPolicy } from '../../../kernel/index.ts';
import { CapdlError } from '../syntax/errors.ts';
import type { CapsimNote } from '../syntax/lexer.ts';

export interface SystemNote {
  system: string;
  description: string;
}
export interface ProcessNote {
  process: string;
  tcb: string;
  program: string;
  args: PlainData[];
  persistent?: boolean;
  policy?: Partial<RestartPolicy>;
  provides?: { service: string; endpoint: string }[];
  requires?: string[];
  notices?: string;
}
export interface ObjectNote {
  /** 'endpoint' or 'storage' carries the capsim name. */
  endpoint?: string;
  storage?: string;
  /** The capDL object ID. */
  object: string;
  owner: string;
  /** The owner's CNode slot that holds the root capability (created with the object, not granted). */
  slot: number;
  data?: PlainData;
}
export interface CapNote {
  cap: string;
  holder: string;
  slot: number;
  rights: string;
  /** A badge on a storage capability, which capDL's frame capabilities cannot carry. */
  badge?: number;
}

/** A capability to a gatekeeper, which capDL has no kind for. */
export interface GatekeeperCapNote {
  gatekeeperCap: string;
  holder: string;
  gate: string;
  rights: string;
}

export interface CapsimNotes {
  system: SystemNote | null;
  processes: ProcessNote[];
  objects: ObjectNote[];
  caps: CapNote[];
  gatekeepers: string[];
  gatekeeperCaps: GatekeeperCapNote[];
}

export function readNotes(notes: readonly CapsimNote[], file: string): CapsimNotes {
  const out: CapsimNotes = { system: null, processes: [], objects: [], caps: [], gatekeepers: [], gatekeeperCaps: [] };
  for (const note of notes) {
    let value: unknown;
    try {
      value = JSON.parse(note.text);
    } catch {
      throw new CapdlError(file, note.pos, `a '-- capsim:' line must hold one JSON object, got: ${note.text.slice(0, 60)}`);
    }
    const fail = (what: string): never => {
      throw new CapdlError(file, note.pos, `this '-- capsim:' line ${what}`);
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('must hold a JSON object');
    const v = value as Record<string, unknown>;
    const str = (key: string): string => (typeof v[key] === 'string' ? (v[key] as string) : fail(`needs '${key}' as a string`));
    const num = (key: string): number => (Number.isSafeInteger(v[key]) ? (v[key] as number) : fail(`needs '${key}' as a whole number`));
    if ('system' in v) out.system = { system: str('system'), description: str('description') };
    else if ('process' in v) {
      if (!Array.isArray(v.args)) fail("needs 'args' as a list");
      out.processes.push({
        process: str('process'), tcb: str('tcb'), program: str('program'), args: v.args as PlainData[], persistent: v.persistent as boolean | undefined, policy: v.policy as Partial<RestartPolicy> | undefined,
        // Services: checked with the rest of the description by checkSpec once imported.
        ...('provides' in v ? { provides: v.provides as ProcessNote['provides'] } : {}),
        ...('requires' in v ? { requires: v.requires as string[] } : {}),
        ...('notices' in v ? { notices: str('notices') } : {}),
      });
    } else if ('endpoint' in v || 'storage' in v) {
      const o: ObjectNote = { object: str('object'), owner: str('owner'), slot: num('slot') };
      if ('endpoint' in v) o.endpoint = str('endpoint');
      else {
        o.storage = str('storage');
        o.data = (v.data ?? null) as PlainData;
      }
      out.objects.push(o);
    } else if ('cap' in v) out.caps.push({ cap: str('cap'), holder: str('holder'), slot: num('slot'), rights: str('rights'), ...('badge' in v ? { badge: num('badge') } : {}) });
    else if ('gatekeeper' in v) out.gatekeepers.push(str('gatekeeper'));
    else if ('gatekeeperCap' in v) out.gatekeeperCaps.push({ gatekeeperCap: str('gatekeeperCap'), holder: str('holder'), gate: str('gate'), rights: str('rights') });
    else fail('says nothing capsim knows (system, process, endpoint, storage, cap or gatekeeper)');
  }
  return out;
}

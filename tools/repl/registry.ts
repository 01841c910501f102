/**
 * The command table. Groups of commands are added one module at a time; a name (or alias)
 * used twice is refused when the group is added, naming both groups, so a clash shows at
 * start-up rather than as one command silently hiding another.
 */
import type { CommandGroup, ReplCommand } from './command.ts';
import type { Session } from './session.ts';

export interface Found {
  command: ReplCommand;
  group: CommandGroup;
  args: string[];
}

export class Registry {
  private readonly groups: CommandGroup[] = [];
  /** Keys are a command word, or 'prefix word' for a prefixed group. */
  private readonly byWord = new Map<string, { command: ReplCommand; group: CommandGroup }>();
  private readonly prefixes = new Map<string, CommandGroup>();

  add(group: CommandGroup): this {
    const owner = (word: string): string | undefined => this.byWord.get(word)?.group.name ?? this.prefixes.get(word)?.name;
    if (group.prefix !== undefined) {
      const taken = owner(group.prefix);
      if (taken !== undefined) throw new Error(`REPL prefix '${group.prefix}' of group '${group.name}' is taken by group '${taken}'`);
    }
    const entries = new Map<string, ReplCommand>();
    for (const command of group.commands) {
      for (const word of [command.name, ...(command.aliases ?? [])]) {
        const key = group.prefix === undefined ? word : `${group.prefix} ${word}`;
        const taken = entries.has(key) ? group.name : owner(key);
        if (taken !== undefined) throw new Error(`REPL command '${key}' of group '${group.name}' is taken by group '${taken}'`);
        entries.set(key, command);
      }
    }
    if (group.prefix !== undefined) this.prefixes.set(group.prefix, group);
    for (const [key, command] of entries) this.byWord.set(key, { command, group });
    this.groups.push(group);
    return this;
  }

  all(): readonly CommandGroup[] {
    return this.groups;
  }

  /** The command the words name, and its arguments; null when none does. */
  find(words: readonly string[]): Found | null {
    const [first, second, ...rest] = words;
    if (first === undefined) return null;
    if (this.prefixes.has(first)) {
      const hit = second === undefined ? undefined : this.byWord.get(`${first} ${second}`);
      return hit ? { ...hit, args: rest } : null;
    }
    const hit = this.byWord.get(first);
    return hit ? { ...hit, args: words.slice(1) } : null;
  }

  /** Every word that can start a line: command names, aliases and group prefixes. */
  firstWords(): string[] {
    const words = new Set<string>();
    for (const key of this.byWord.keys()) words.add(key.split(' ')[0] as string);
    return [...words].sort();
  }

  /** The usage line of a command, as help prints it. */
  usage(found: Pick<Found, 'command' | 'group'>): string {
    const word = found.group.prefix === undefined ? found.command.name : `${found.group.prefix} ${found.command.name}`;
    return found.command.args.length > 0 ? `${word} ${found.command.args}` : word;
  }

  /**
   * Tab completion for readline: the candidates for the word under the cursor (the last one
   * of the line), and that word. Arguments are completed by the command's own completer.
   */
  complete(session: Session, line: string): [string[], string] {
    const endsInSpace = /\s$/.test(line);
    const words = line.trim().length === 0 ? [] : line.trim().split(/\s+/);
    const partial = endsInSpace || words.length === 0 ? '' : (words.pop() as string);
    let candidates: readonly string[];
    if (words.length === 0) candidates = this.firstWords();
    else if (words.length === 1 && this.prefixes.has(words[0] as string)) {
      const group = this.prefixes.get(words[0] as string) as CommandGroup;
      candidates = group.commands.map((c) => c.name);
    } else {
      const found = this.find(words);
      candidates = found?.command.complete ? safely(() => found.command.complete?.(session, found.args) ?? []) : [];
    }
    return [candidates.filter((c) => c.startsWith(partial)), partial];
  }
}

/** A completer must never break the prompt: a failure (say, the power is off) offers nothing. */
function safely(get: () => readonly string[]): readonly string[] {
  try {
    return get();
  } catch {
    return [];
  }
}

// Types of compiled.js, for the TypeScript that asks it which code capsim runs (bench/cli.bench.ts).
export declare const ENTRIES: Readonly<Record<string, string>>;
export declare const ROOT: string;
export declare const BUILD_DIR: string;
export declare const MANIFEST: string;
/** `root` (the project root, ending in /) is for tests. */
export declare function compiledEntry(source: string, root?: string): string | null;
/** `root` (the project root, ending in /) is for tests. */
export declare function compiledEntries(sources: readonly string[], root?: string): Map<string, string>;
export declare function importEntry(source: string): Promise<Record<string, unknown>>;

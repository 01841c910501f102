import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockEntry> };

describe('package-lock.json', () => {
  it('has an entry for every optional dependency, so npm ci on a clean clone accepts it (run `npm run lock` after adding a dependency)', () => {
    const missing: string[] = [];
    for (const entry of Object.values(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) if (!lock.packages[`node_modules/${name}`]) missing.push(name);
    }
    expect(missing).toEqual([]);
  });

  it('pins a version for every package it lists', () => {
    const unversioned = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && entry.version === undefined).map(([key]) => key);
    expect(unversioned).toEqual([]);
  });
});

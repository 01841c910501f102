#!/usr/bin/env node
// Completes package-lock.json with an entry for every optional dependency it lacks.
//
// Why: the registry this project is built against does not serve other platforms' optional
// packages (rollup's darwin/win32 binaries, msgpackr-extract's, fsevents), so `npm install`
// cannot record them, and `npm ci` then refuses the lock file as out of sync (npm/cli#9846).
// An entry with the version and `optional: true` is what npm would have written; at `npm ci`
// time npm skips an optional package it cannot fetch or that does not fit the platform.
// Run `npm run lock` after adding or updating a dependency.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const entry of Object.values(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const version = String(range).replace(/^[~^]/, '');
    packages[key] = entry.dev ? { version, dev: true, optional: true } : { version, optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} optional dependency entr${added === 1 ? 'y' : 'ies'} added`);

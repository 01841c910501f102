#!/usr/bin/env node
// The capsim command. It runs the CLI compiled ahead of time (build/, made by `npm install`)
// when that build is newer than every source it was made from, and otherwise the TypeScript
// source through tsx — so an edited source takes effect without a rebuild, only starting
// slower until `npm run build` (see compiled.js).
import { importEntry } from './compiled.js';

await importEntry('tools/cli/main.ts');

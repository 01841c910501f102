#!/usr/bin/env node
// The capsim command: loads the TypeScript CLI through tsx, so `npx capsim` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../tools/cli/main.ts');

// A pool thread's entry, in plain JavaScript: a worker thread starts with no TypeScript loader
// of its own, so it loads the module that runs its tasks through bin/compiled.js — from the
// ahead-of-time build when that is fresh (no compiling at thread start), else from source
// through tsx. Which module and which of its exports, the pool says in workerData.
import { Piscina } from 'piscina';
import { importEntry } from '../../bin/compiled.js';

const { module, handler } = Piscina.workerData;
const loaded = await importEntry(module);
if (typeof loaded[handler] !== 'function') throw new Error(`${module} exports no function '${handler}' for a pool thread`);
export default loaded[handler];

/**
 * Where each built-in example lives, so that the CLI loads it as it loads a user's module:
 * confined, through the same loader (examples/index.ts gives the same systems unconfined, to
 * tests and benchmarks that wire them by hand).
 */
import { projectPath } from '../runtime/project-root.ts';

export interface ExampleModule {
  file: string;
  exportName: string;
}

const at = (name: string): string => projectPath('examples', name);

export const EXAMPLE_MODULES: Readonly<Record<string, ExampleModule>> = Object.freeze({
  'ping-pong': { file: at('ping-pong.ts'), exportName: 'system' },
  counter: { file: at('counter.ts'), exportName: 'system' },
  bank: { file: at('bank.ts'), exportName: 'system' },
  'boot-chain': { file: at('boot-chain.ts'), exportName: 'system' },
  'file-server': { file: at('file-server.ts'), exportName: 'system' },
  flood: { file: at('flood.ts'), exportName: 'system' },
  transfer: { file: at('transfer.ts'), exportName: 'system' },
  'transfer-naive': { file: at('transfer.ts'), exportName: 'naive' },
  kv: { file: at('kv.ts'), exportName: 'system' },
});

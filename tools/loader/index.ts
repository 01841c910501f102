/**
 * Loading systems confined: a module from disk, bundled, instrumented and compiled into its own
 * realm. esbuild and acorn load only when a module is (confinedModule).
 */
export { confinedChecks, confinedModule, confinedSystem, exportNames } from './load-confined.ts';
export { DescriptionError } from './errors.ts';
export { loadModel, looksLikeModelPath } from './load-model.ts';
export { EXAMPLE_MODULES, type ExampleModule } from './examples.ts';

/**
 * `capsim/experiment`: what an experiment file imports — the definition's types and the
 * built-in metrics' names — whether it lives in this repository or in a user's own folder.
 */
export type { ExperimentDefinition, ParametricSystem, SystemRef, Params, ParamValue, MetricFn, BuiltinParam } from './definition.ts';
export type { TrialOutcome, BuiltinMetric } from './metrics.ts';
export { BUILTIN_METRICS } from './metrics.ts';

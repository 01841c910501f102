/** Authority analysis: who can pass capabilities to whom, where information can flow, who could reach what. */
export { analyse, reachOf, leakPath, type AuthorityResult, type Edge, type Obtainable } from './analyse.ts';
export { subjectsOfCapdl } from './from-capdl.ts';
export { subjectsOfKernel } from './from-kernel.ts';
export { authorityJson, obtainableJson, renderAuthority, renderCan, renderReach, diffAuthority, renderDiff, type AuthorityDiff } from './render.ts';
export type { AbstractCap, AbstractKind, AbstractRight, AuthorityInput, Subject } from './subjects.ts';

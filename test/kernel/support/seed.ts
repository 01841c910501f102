/** The shared seed helpers: CAPSIM_SEED replays a failure (see test/support/seed.ts). */
export { propertyParams, replaySeed } from '../../support/seed.ts';

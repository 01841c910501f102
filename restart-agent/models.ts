/** The persistence models (DESIGN.md, "Persistence: two models, side by side"). */
export type PersistenceModel = 'explicit' | 'checkpoint' | 'both';

export const PERSISTENCE_MODELS: readonly PersistenceModel[] = ['explicit', 'checkpoint', 'both'];

/** The System's own errors: a user's mistake in driving it, or a store it cannot run. */
export type SystemErrorCode = 'store_not_empty' | 'model_unavailable' | 'model_invalid' | 'model_failed' | 'variant_unknown' | 'no_power' | 'not_a_system' | 'no_checkpoint' | 'replay_diverged';

export class SystemError extends Error {
  constructor(
    readonly code: SystemErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SystemError';
  }
}

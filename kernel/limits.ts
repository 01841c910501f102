/**
 * Every queue, table and loop in the kernel has a bound. These are the defaults; a kernel can be
 * given others. Each bound, when hit, is a typed error or a throttle, never unbounded growth.
 */
export interface Limits {
  /** Slots per c-list. */
  slots_max: number;
  /** Messages waiting on one endpoint. */
  queue_length_max: number;
  /** Approximate bytes of one payload (strings by length, numbers as 8). */
  payload_bytes_max: number;
  /** Approximate bytes of one process's state. */
  state_bytes_max: number;
  /** Nesting depth of payloads and state; also what stops a cycle. */
  payload_depth_max: number;
  /** Sends, calls and replies one crank may make. */
  sends_per_crank_max: number;
  /** Capabilities carried by one message. */
  caps_per_message_max: number;
  /** Messages in flight charged to one account before its owner is throttled. */
  account_debt_max: number;
  /** Names in one process's named capability set. */
  names_max: number;
  /** Characters in a capability name. */
  name_length_max: number;
  /** Live kernel objects. */
  objects_max: number;
  /** Cranks one call of run() may execute. */
  cranks_per_run_max: number;
  /** Descendants one revoke may visit (it is bounded by the live capabilities anyway). */
  revoke_visits_max: number;
  /**
   * The crank budget of a confined program: steps one handler may take, a step being one
   * function entry or one loop iteration. Past it the handler is stopped and the crank aborts.
   */
  crank_steps_max: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  slots_max: 1024,
  queue_length_max: 256,
  payload_bytes_max: 64 * 1024,
  state_bytes_max: 4 * 1024 * 1024,
  payload_depth_max: 32,
  sends_per_crank_max: 256,
  caps_per_message_max: 8,
  account_debt_max: 64,
  names_max: 256,
  name_length_max: 128,
  objects_max: 10_000_000,
  cranks_per_run_max: 100_000_000,
  revoke_visits_max: 10_000_000,
  crank_steps_max: 10_000_000,
});

export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`limit ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  return limits;
}

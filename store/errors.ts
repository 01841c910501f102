/**
 * Typed store errors. Every failure a caller or a damaged disk can cause is a StoreError with a
 * code; `record` names the record concerned (e.g. "registration 42") where there is one.
 */
export const STORE_ERROR_CODES = [
  'not_found', // no store at that place and create was false
  'not_a_store', // a LevelDB folder (or disk) that capsim did not write
  'schema_mismatch', // a capsim store of another schema or value format
  'locked', // another process (or another open Store) holds it
  'damaged', // a record failed its checksum or its shape check
  'write_failed', // the backend refused a batch: nothing of it was written
  'closed', // the Store was closed, or died in a simulated power loss or process kill
  'invalid', // the caller passed a record or argument of the wrong shape: nothing was written
  'io_error', // the backend failed to open for another reason (permissions, a file in the way)
  'read_only', // the store cannot be written (a read-only folder or file system); it can still be inspected
  'rolled_back', // the store is older than its witness: synced commits are gone
] as const;

export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly record?: string;

  constructor(code: StoreErrorCode, message: string, options: { record?: string; cause?: unknown } = {}) {
    super(options.record === undefined ? `${code}: ${message}` : `${code}: ${options.record}: ${message}`, { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
    if (options.record !== undefined) this.record = options.record;
  }
}

/**
 * Why a snapshot or grid operation was refused. Each message is one line that names the
 * snapshot, instance or principal concerned and, where there is one, the way out.
 */
export type SnapshotErrorCode = 'bad_name' | 'exists' | 'unknown' | 'refused' | 'not_empty' | 'unknown_instance' | 'grid_busy' | 'bad_registry';

export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}

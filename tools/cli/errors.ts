/**
 * How the CLI ends: exit 0 on success, 1 on a failure or a violated invariant, 2 on a usage
 * error. A user's mistake is one line that names what is wrong and how to fix it; a stack
 * trace appears only with --debug, or for an internal error (a bug in capsim).
 */
import { KernelError, KernelUsageError } from '../../kernel/index.ts';
import { StoreError } from '../../store/index.ts';
import { SystemError } from '../../restart-agent/index.ts';
import { DescriptionError } from '../loader/index.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure with its own exit code (e.g. a violated invariant). */
export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/** Turns an error into the line the user sees and the exit code. */
export function describeFailure(err: unknown): { line: string; exitCode: number; internal: boolean } {
  if (err instanceof UsageError) return { line: err.message, exitCode: EXIT_USAGE, internal: false };
  if (err instanceof CommandFailed) return { line: err.message, exitCode: err.exitCode, internal: false };
  if (err instanceof StoreError) return { line: `store: ${err.message}`, exitCode: EXIT_FAILURE, internal: false };
  if (err instanceof DescriptionError) return { line: err.message, exitCode: EXIT_FAILURE, internal: false };
  if (err instanceof SystemError) return { line: err.message, exitCode: EXIT_FAILURE, internal: false };
  if (err instanceof KernelUsageError || err instanceof KernelError) return { line: err.message, exitCode: EXIT_FAILURE, internal: false };
  const message = err instanceof Error ? err.message : String(err);
  return { line: `internal error (a bug in capsim, please report it): ${message}`, exitCode: EXIT_FAILURE, internal: true };
}

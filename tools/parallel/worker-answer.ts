/**
 * What a pool thread sends back for one task: the result, or a user's error as its message.
 * An error crossing threads loses its class and name, so its kind is decided in the thread,
 * where it is still known; anything else is thrown on and stays a bug with its stack.
 */

/** capsim's own error kinds: a user's mistake or a user's program's, reported in one line. */
const USER_ERROR_NAMES = new Set(['ExperimentError', 'UsageError', 'CommandFailed', 'StoreError', 'SystemError', 'KernelError', 'KernelUsageError', 'DescriptionError']);

export type WorkerAnswer<R> = { result: R } | { userError: string };

/** `run` as a pool thread's handler: its result, or the message of a user's error. */
export function answering<T, R>(run: (task: T) => Promise<R>): (task: T) => Promise<WorkerAnswer<R>> {
  return async (task) => {
    try {
      return { result: await run(task) };
    } catch (error) {
      if (error instanceof Error && USER_ERROR_NAMES.has(error.name)) return { userError: error.message };
      throw error;
    }
  };
}

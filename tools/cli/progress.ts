/**
 * A progress bar for long commands, on stderr, drawn only for a person watching a terminal: not
 * into a pipe or a log (where redraws are noise), not under --json (the caller passes
 * enabled: false), not on a dumb terminal. Otherwise every method does nothing, so callers
 * need no branch of their own.
 *
 *   const bar = progress({ total, label: 'cranks', enabled: !opts.json });
 *   bar.tick(n);
 *   bar.stop();
 */
import cliProgress from 'cli-progress';

export interface ProgressOptions {
  total: number;
  /** What is counted, shown after the numbers: 'cranks', 'runs'. */
  label: string;
  /** The caller's say (false with --json); the bar shows only when this and the terminal allow it. */
  enabled?: boolean;
  /** Where the bar goes; stderr unless a test says otherwise. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface Progress {
  /** Whether a bar is drawn at all. */
  readonly shown: boolean;
  /** Counts n more done (n may be 0 to change only the detail text). */
  tick(n?: number, detail?: string): void;
  /** Removes the bar; call it once the work ends, also on failure. */
  stop(): void;
}

/** The decision alone, so that it can be tested without a terminal. */
export function progressWanted(opts: { enabled?: boolean; isTTY?: boolean; term?: string }): boolean {
  return opts.enabled !== false && opts.isTTY === true && opts.term !== 'dumb';
}

const NO_PROGRESS: Progress = { shown: false, tick: () => {}, stop: () => {} };

export function progress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!progressWanted({ enabled: opts.enabled, isTTY: stream.isTTY, term: process.env.TERM })) return NO_PROGRESS;
  const bar = new cliProgress.SingleBar(
    { format: `{bar} {value}/{total} ${opts.label} {detail}`, stream, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', onInterrupt);
    bar.stop();
  };
  // The bar hides the cursor: Ctrl-C must give it back. A command that handles Ctrl-C itself
  // (to print what it got so far) keeps running; otherwise capsim ends as Ctrl-C asks.
  function onInterrupt(): void {
    stop();
    if (process.listenerCount('SIGINT') > 0) return;
    stream.write('capsim: interrupted\n');
    process.exit(EXIT_INTERRUPTED);
  }
  process.once('SIGINT', onInterrupt);
  bar.start(opts.total, 0, { detail: '' });
  return {
    shown: true,
    tick(n = 1, detail) {
      if (stopped) return;
      done = Math.min(opts.total, done + n);
      bar.update(done, detail === undefined ? undefined : { detail });
    },
    stop,
  };
}

/** The exit code of a command ended by Ctrl-C, as shells report SIGINT. */
export const EXIT_INTERRUPTED = 130;

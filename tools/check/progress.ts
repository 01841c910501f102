/**
 * A progress bar on stderr while a check runs, only on a terminal: a pipe or a log gets the
 * summary alone.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, note: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

export function progressBar(total: number, enabled: boolean = process.stderr.isTTY === true): Progress {
  if (!enabled) return SILENT;
  const bar = new cliProgress.SingleBar(
    { format: 'capsim check {bar} {value}/{total} runs {note}', stream: process.stderr, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { note: '' });
  return {
    // While shrinking, the count stays where the failure was found and the note says so.
    update: (done, note) => bar.update(Math.min(done, total), { note }),
    stop: () => bar.stop(),
  };
}

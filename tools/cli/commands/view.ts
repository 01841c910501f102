/**
 * `capsim view <system|path>` — a local web page to watch, step, rewind and crash a system:
 * records the run (tools/view/recording.ts), serves the page on 127.0.0.1 with a token in the
 * URL until Ctrl-C; `--export DIR` writes a static copy that opens from file:// instead.
 */
import type { Command } from 'commander';
import { EXAMPLES } from '../../../examples/index.ts';
import { DEFAULT_CHECKPOINT_EVERY, System } from '../../../restart-agent/index.ts';
import type { ViewServer } from '../../view/server.ts';
import { parsePulls, POSITIONS_MAX, type TimelineSpec } from '../../view/timeline-spec.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { loadSystem, storedSystemName } from '../load-system.ts';
import { parseCount, storeLocation } from '../locate.ts';
import { MODEL_OPTION_HELP, modelOption } from '../model-option.ts';
import { noSystemIn } from '../open-existing.ts';

interface ViewOptions {
  store?: string;
  seed: string;
  model: string;
  port?: string;
  host: string;
  cranks: string;
  syncEvery: string;
  checkpointEvery: string;
  keyframeEvery: string;
  pulls: string;
  export?: string;
}

export function registerView(program: Command): void {
  program
    .command('view')
    .description('a local web page to watch, step, rewind and crash a system: the capability graph, processes, messages, persistence timeline')
    .argument('[system]', 'an example name or a module path; with --store, the programs the store runs (default: the one it names)')
    .option('--store <dir>', 'start from the system this store folder holds (a copy is booted: the folder is not written)')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--model <model>', `${MODEL_OPTION_HELP} (of a fresh system)`, 'explicit')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <address>', 'address to listen on; anything but 127.0.0.1 lets other machines try to connect', '127.0.0.1')
    .option('--cranks <n>', 'positions to record (cranks and restarts)', '1000')
    .option('--sync-every <n>', 'sync every Nth commit', '4')
    .option('--checkpoint-every <n>', 'cranks between checkpoints (models that take them: checkpoint, both, transcript)', String(DEFAULT_CHECKPOINT_EVERY))
    .option('--keyframe-every <n>', 'a kernel snapshot every N positions: a jump replays at most N cranks', '200')
    .option('--pulls <list>', "power losses to record, e.g. '12:0,40:2' (after position 12 keeping 0 unsynced batches; after 40 keeping 2)", '')
    .option('--export <dir>', 'write a static copy of the run to this new folder (opens from file://, no server) and exit')
    .action(async (ref: string | undefined, opts: ViewOptions) => {
      const timeline = await timelineOf(ref, opts);
      // Loaded here, not with the CLI: every other command starts without the viewer.
      const [{ ExportError, exportRecording }, { Recording }, { serve }, { Timelines }] = await Promise.all([import('../../view/export.ts'), import('../../view/recording.ts'), import('../../view/server.ts'), import('../../view/timelines.ts')]);
      if (opts.export !== undefined) {
        const rec = await Recording.record(timeline);
        try {
          const out = await exportRecording(rec, opts.export);
          process.stdout.write(`capsim view: ${out.positions} position(s) of '${timeline.spec.name}' exported to ${opts.export} (${Math.ceil(out.bytes / 1024)} KiB): open ${opts.export}/index.html\n`);
        } catch (error) {
          if (error instanceof ExportError) throw new CommandFailed(error.message);
          throw error;
        }
        return;
      }
      const port = opts.port === undefined ? 0 : parseCount(opts.port, '--port');
      if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
      const { pulls, ...base } = timeline;
      const timelines = new Timelines(base);
      // Record the first timeline before printing the URL: a mistake in the system shows here, as one line.
      await timelines.get(pulls);
      let server: ViewServer;
      try {
        server = await serve({ timelines, host: opts.host, port, onError: (e) => process.stderr.write(`capsim view: a request failed: ${e instanceof Error ? e.message : String(e)}\n`) });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'EADDRINUSE') throw new CommandFailed(`port ${port} is in use: pick another with --port, or leave it out for a free one`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${opts.host}: no such local address`);
        throw error;
      }
      process.stdout.write(`capsim view: '${timeline.spec.name}' at ${server.url}\n(Ctrl-C stops it)\n`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

async function timelineOf(ref: string | undefined, opts: ViewOptions): Promise<TimelineSpec> {
  const pulls = parsePulls(opts.pulls);
  if (pulls === null) throw new UsageError("--pulls must read like '12:0,40:2' (after position, batches kept), positions increasing");
  const syncEvery = parseCount(opts.syncEvery, '--sync-every');
  if (syncEvery < 1) throw new UsageError('--sync-every must be at least 1');
  const keyframeEvery = parseCount(opts.keyframeEvery, '--keyframe-every');
  if (keyframeEvery < 1) throw new UsageError('--keyframe-every must be at least 1');
  const positions = parseCount(opts.cranks, '--cranks');
  if (positions > POSITIONS_MAX) throw new UsageError(`--cranks must be at most ${POSITIONS_MAX}, got ${positions}`);
  const base = { seed: parseCount(opts.seed, '--seed'), model: await modelOption(opts.model), syncEvery, checkpointEvery: parseCount(opts.checkpointEvery, '--checkpoint-every'), positions, keyframeEvery, pulls };
  if (opts.store === undefined) {
    if (ref === undefined) throw new UsageError("name a system (see 'capsim examples') or give --store <dir>");
    return { ...base, spec: await loadSystem(ref) };
  }
  if (!(await System.exists(storeLocation(opts.store)))) throw noSystemIn(opts.store);
  let name = ref;
  if (name === undefined) {
    const held = await storedSystemName(opts.store);
    if (held === null || !Object.prototype.hasOwnProperty.call(EXAMPLES, held)) throw new UsageError(`${opts.store} holds system '${held ?? '?'}', which is no built-in example: name its module`);
    name = held;
  }
  return { ...base, spec: await loadSystem(name), storeDir: opts.store };
}

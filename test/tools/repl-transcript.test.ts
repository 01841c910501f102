/**
 * The REPL under the transcript model: what the host does between cranks (a console's call, a
 * send) is either an input of the next crank's entry or made durable by a checkpoint, so that a
 * crash and a restart replay the transcript without diverging.
 */
import { describe, expect, it } from 'vitest';
import { system as pingPong } from '../../examples/ping-pong.ts';
import { MemoryDisk } from '../../store/index.ts';
import { builtinRegistry } from '../../tools/repl/builtin.ts';
import { execute } from '../../tools/repl/dispatch.ts';
import { Session } from '../../tools/repl/session.ts';

describe('the REPL under the transcript model', () => {
  it('replays sends and steps after a console call, with every verdict ok', async () => {
    let text = '';
    const { session } = await Session.start(
      { spec: pingPong, location: { backend: 'memory', disk: new MemoryDisk() }, seed: 1, syncEvery: 1, model: 'transcript', checkpointEvery: 0, runMax: 1000, debug: false, write: (t) => void (text += t) },
      false,
    );
    const registry = builtinRegistry();
    const ok: boolean[] = [];
    for (const line of ['step 3', 'call pong-service {"n": 1}', 'send pong-service {"n": 7}', 'step 4', 'crash', 'restart', 'step 2']) ok.push(await execute(session, registry, line));
    expect(ok).toEqual([true, true, true, true, true, true, true]);
    expect(text).toMatch(/transcript: replayed [1-9]\d* crank\(s\)/);
    expect(text).toMatch(/ok {3}I10 after replay/);
    expect(text).not.toMatch(/FAIL/);
    await session.close();
  });
});

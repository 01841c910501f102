/**
 * The REPL's parts without a terminal: line splitting, the command registry (lookup, clashes,
 * prefixes, completion) and whole command lines dispatched on a session over ping-pong in
 * memory, with what they print captured.
 */
import { describe, expect, it } from 'vitest';
import { system as counter } from '../../examples/counter.ts';
import { system as pingPong } from '../../examples/ping-pong.ts';
import type { SystemSpec } from '../../kernel/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { builtinRegistry } from '../../tools/repl/builtin.ts';
import { ReplError, type CommandGroup } from '../../tools/repl/command.ts';
import { execute } from '../../tools/repl/dispatch.ts';
import { Registry } from '../../tools/repl/registry.ts';
import { Session } from '../../tools/repl/session.ts';
import { splitWords } from '../../tools/repl/words.ts';

interface Harness {
  session: Session;
  registry: Registry;
  /** Runs lines in order; returns what they printed and whether each succeeded. */
  run(...lines: string[]): Promise<{ text: string; ok: boolean[] }>;
}

async function harness(opts: { spec?: SystemSpec; debug?: boolean; runMax?: number; groups?: CommandGroup[]; model?: 'explicit' | 'checkpoint' | 'both' } = {}): Promise<Harness> {
  let buffer = '';
  const { session } = await Session.start(
    { spec: opts.spec ?? pingPong, location: { backend: 'memory', disk: new MemoryDisk() }, seed: 1, syncEvery: 4, model: opts.model, checkpointEvery: 0, runMax: opts.runMax ?? 1000, debug: opts.debug ?? false, write: (t) => void (buffer += t) },
    false,
  );
  const registry = builtinRegistry();
  for (const g of opts.groups ?? []) registry.add(g);
  return {
    session,
    registry,
    async run(...lines) {
      buffer = '';
      const ok: boolean[] = [];
      for (const line of lines) ok.push(await execute(session, registry, line));
      return { text: buffer, ok };
    },
  };
}

describe('splitWords', () => {
  it('keeps a JSON object, array or quoted string one word', () => {
    expect(splitWords('send back {"n": 1, "t": "a b"} 7')).toEqual(['send', 'back', '{"n": 1, "t": "a b"}', '7']);
    expect(splitWords('spawn pong [1, [2, 3]]')).toEqual(['spawn', 'pong', '[1, [2, 3]]']);
    expect(splitWords('send back "hello \\" there"')).toEqual(['send', 'back', '"hello \\" there"']);
    expect(splitWords('  ps   ')).toEqual(['ps']);
  });

  it('refuses unbalanced brackets and unterminated strings with a ReplError', () => {
    expect(() => splitWords('send back {"n": 1')).toThrow(ReplError);
    expect(() => splitWords('send back }')).toThrow(/unbalanced/);
    expect(() => splitWords('send back "tick')).toThrow(/unterminated string/);
    expect(() => splitWords('x'.repeat(70_000))).toThrow(/at most/);
  });
});

describe('Registry', () => {
  const noop = { args: '', summary: 's', run: () => {} };

  it('refuses a command name or alias that another group has, naming both groups', () => {
    const registry = builtinRegistry();
    expect(() => registry.add({ name: 'snapshots', summary: 's', commands: [{ name: 'status', ...noop }] })).toThrow("REPL command 'status' of group 'snapshots' is taken by group 'session'");
    expect(() => registry.add({ name: 'x', summary: 's', commands: [{ name: 'bye', aliases: ['exit'], ...noop }] })).toThrow(/'exit' .* taken by group 'session'/);
    expect(() => registry.add({ name: 'y', summary: 's', commands: [{ name: 'twice', ...noop }, { name: 'twice', ...noop }] })).toThrow(/taken by group 'y'/);
  });

  it('lets a prefixed group reuse built-in names, found only after its prefix', () => {
    const registry = builtinRegistry();
    registry.add({ name: 'grid', summary: 's', prefix: 'grid', commands: [{ name: 'spawn', ...noop }, { name: 'status', ...noop }] });
    expect(registry.find(['grid', 'spawn', 'base'])?.group.name).toBe('grid');
    expect(registry.find(['grid', 'spawn', 'base'])?.args).toEqual(['base']);
    expect(registry.find(['snap', 'spawn', 'base'])?.group.name).toBe('snapshots');
    expect(registry.find(['spawn', 'pong'])?.group.name).toBe('authority');
    expect(registry.find(['grid'])).toBeNull();
    expect(registry.firstWords()).toContain('grid');
    expect(() => registry.add({ name: 'z', summary: 's', prefix: 'ps', commands: [] })).toThrow(/prefix 'ps' .* taken by group 'inspect'/);
  });

  it('completes command names, prefixed commands, processes and slots', async () => {
    const h = await harness({ groups: [{ name: 'grid', summary: 's', prefix: 'grid', commands: [{ name: 'save', ...noop }] }] });
    try {
      expect(h.registry.complete(h.session, 'st')).toEqual([['status', 'step'], 'st']);
      expect(h.registry.complete(h.session, 'grid s')).toEqual([['save'], 's']);
      expect(h.registry.complete(h.session, 'snap s')).toEqual([['save', 'scores', 'spawn', 'status'], 's']);
      expect(h.registry.complete(h.session, 'caps p')[0]).toEqual(['p1', 'p3', 'ping', 'pong']);
      expect(h.registry.complete(h.session, 'revoke p1 ')).toEqual([['0', '1', '2'], '']);
      expect(h.registry.complete(h.session, 'send b')).toEqual([['back'], 'b']);
      // A completer that fails (no process p99) offers nothing rather than breaking the prompt.
      expect(h.registry.complete(h.session, 'revoke p99 ')).toEqual([[], '']);
    } finally {
      await h.session.close();
    }
  });
});

describe('REPL commands on a session', () => {
  it('ps, caps and graph show the running system', async () => {
    const h = await harness();
    try {
      const { text, ok } = await h.run('ps', 'caps ping', 'graph');
      expect(ok).toEqual([true, true, true]);
      expect(text).toMatch(/PID\s+PROGRAM\s+ARGS\s+STATUS/);
      expect(text).toMatch(/p1\s+ping\s+\[\]\s+ready/);
      expect(text).toContain('p1 ping: 3 capabilities');
      expect(text).toMatch(/1\s+back\s+endpoint\s+5\s+rwg\s+0/);
      expect(text).toContain('capability graph: 6 nodes');
    } finally {
      await h.session.close();
    }
  });

  it('step shows each crank with its events; run is bounded; send queues a message', async () => {
    const h = await harness({ runMax: 50 });
    try {
      const stepped = await h.run('step 2');
      expect(stepped.text).toContain('p1 ping <- send');
      expect(stepped.text).toContain('call p1 -> p3');
      expect(stepped.text).toContain('p3 pong <- call from p1');
      const ran = await h.run('run 10', 'run 51');
      expect(ran.ok).toEqual([true, false]);
      expect(ran.text).toContain('ran 10 crank(s), clock 14');
      expect(ran.text).toContain('error: n is at most 50, got 51');
      const sent = await h.run('send pong-service {"n": 41}', 'step');
      expect(sent.text).toMatch(/queued on e6 for p3 pong \(\d+ waiting there\)/);
    } finally {
      await h.session.close();
    }
  });

  it('mistakes print one error line each and the session goes on', async () => {
    const h = await harness();
    try {
      const { text, ok } = await h.run('caps p99', 'send back {bad', 'send back tick', 'mint p3 0 rwg', 'frobnicate', 'grant p1 7 p3', 'step x', 'ps');
      expect(ok).toEqual([false, false, false, false, false, false, false, true]);
      const errors = text.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors).toHaveLength(7);
      expect(errors[0]).toContain('no process p99 (processes: p1 ping, p3 pong)');
      expect(errors[1]).toContain('unclosed bracket');
      expect(errors[2]).toContain('the payload is not JSON');
      expect(errors[3]).toContain("rights 7 exceed the source's 3");
      expect(errors[4]).toContain("unknown command 'frobnicate': type 'help'");
      expect(errors[5]).toContain('empty_slot: slot 7 is empty');
      expect(errors[6]).toContain("n is a whole number, got 'x'");
      expect(text).not.toMatch(/\n\s+at /);
      expect(text).toMatch(/p1\s+ping/);
    } finally {
      await h.session.close();
    }
  });

  it('a mistyped rights word is an error, never a name beside the source\'s full rights', async () => {
    const h = await harness();
    try {
      const before = await h.run('caps p3');
      const typo = await h.run('grant p1 1 p3 rx', 'mint p1 1 w back', 'grant p1 1 p3 w as');
      expect(typo.ok).toEqual([false, false, false]);
      expect(typo.text).toContain("error: 'rx' is not rights (letters r w g k), a badge (a number) or 'as NAME'");
      expect(typo.text).toContain("error: 'back' is not rights (letters r w g k), a badge (a number) or 'as NAME'");
      expect(typo.text).toContain("error: 'as' needs the name");
      expect((await h.run('caps p3')).text).toBe(before.text);
      const named = await h.run('grant p1 1 p3 w 7 as back');
      expect(named.ok).toEqual([true]);
      expect(named.text).toMatch(/granted: p3 slot \d+: endpoint \d+ \[-w- badge 7\] named 'back'/);
    } finally {
      await h.session.close();
    }
  });

  it('a mistyped command suggests the nearest one; clear is known; a restart says the trace crank numbers start again', async () => {
    const h = await harness();
    try {
      const typo = await h.run('stpe', 'grpah', 'revok p1 1', 'clear');
      expect(typo.ok).toEqual([false, false, false, true]);
      expect(typo.text).toContain("error: unknown command 'stpe' (did you mean 'step'?): type 'help' for the list");
      expect(typo.text).toContain("(did you mean 'graph'?)");
      expect(typo.text).toContain("(did you mean 'revoke'?)");
      const restarted = await h.run('step 3', 'crash', 'restart');
      expect(restarted.text).toMatch(/the trace's crank numbers now count this boot's kernel \(at \d+\); the system's clock across boots is \d+/);
    } finally {
      await h.session.close();
    }
  });

  it('a bug in a command is one line, with the stack only under --debug', async () => {
    const buggy: CommandGroup = { name: 'buggy', summary: 's', commands: [{ name: 'boom', args: '', summary: 's', run: () => { throw new TypeError('oops'); } }] };
    const quiet = await harness({ groups: [buggy] });
    const loud = await harness({ groups: [buggy], debug: true });
    try {
      const q = await quiet.run('boom');
      expect(q.text.trimEnd().split('\n')).toEqual(['error: internal error (a bug in capsim, please report it): oops']);
      const l = await loud.run('boom');
      expect(l.text).toMatch(/\n\s+at /);
    } finally {
      await quiet.session.close();
      await loud.session.close();
    }
  });

  it('grant, mint and revoke change c-lists; a revoked capability stays revoked after crash and restart (I5)', async () => {
    const h = await harness();
    try {
      const changed = await h.run('mint p1 1 w 9', 'grant p1 3 p3 w as note', 'revoke p1 1');
      expect(changed.ok).toEqual([true, true, true]);
      expect(changed.text).toContain('minted: p1 slot 3: endpoint 5 [-w- badge 9]');
      expect(changed.text).toContain("granted: p3 slot 2: endpoint 5 [-w- badge 9] named 'note'");
      expect(changed.text).toContain('revoked: 2 derived capabilities removed');
      expect((await h.run('caps p3')).text).not.toContain('note');
      const after = await h.run('crash', 'caps p3', 'restart', 'caps p3');
      expect(after.ok).toEqual([true, false, true, true]);
      expect(after.text).toContain("error: the power is off: type 'restart'");
      expect(after.text).toMatch(/ok\s+I5 revocation/);
      expect(after.text).not.toContain('FAIL');
      expect(after.text).toContain('p3 pong: 2 capabilities');
    } finally {
      await h.session.close();
    }
  });

  it('a named grant survives a crash; an unnamed one does not', async () => {
    const h = await harness();
    try {
      await h.run('grant p1 1 p3 w 4 as keep', 'grant p1 1 p3 w 5', 'crash', 'restart');
      const { text } = await h.run('caps p3');
      expect(text).toMatch(/keep\s+endpoint\s+5\s+-w-\s+4/);
      expect(text).not.toMatch(/-w-\s+5/);
    } finally {
      await h.session.close();
    }
  });

  it('spawn starts a persistent process that comes back after a restart', async () => {
    const h = await harness();
    try {
      const spawned = await h.run('spawn pong', 'spawn pong {"a": 1}', 'spawn nothing');
      expect(spawned.ok).toEqual([true, false, false]);
      const pid = /spawned p(\d+) pong \[\] -> ready/.exec(spawned.text)?.[1];
      expect(pid).toBeDefined();
      expect(spawned.text).toContain("program 'nothing' is not registered");
      const { text } = await h.run('crash', 'restart', 'ps');
      expect(text).toContain(`p${pid} pong [] names [] -> ready`);
      expect(text).toMatch(new RegExp(`p${pid}\\s+pong`));
    } finally {
      await h.session.close();
    }
  });

  it('crash keeps a prefix of unsynced batches; status and trace say what the session holds; quit ends it', async () => {
    // counter writes its count every crank and syncs every 4th commit, so a crash finds unsynced batches.
    const h = await harness({ spec: counter });
    try {
      const { text } = await h.run('run 6', 'status', 'crash 1', 'status', 'crash', 'restart', 'restart', 'trace 3', 'quit');
      expect(text).toMatch(/unsynced\s+[1-9]\d* batch\(es\) a crash would lose/);
      expect(text).toMatch(/power pulled at crank \d+: [1-9]\d* unsynced batch\(es\) in the volatile buffer, 1 kept/);
      expect(text).toMatch(/lost: \d+ crank\(s\) of work since the last durable point \(1 unsynced commit\(s\) survived\)/);
      expect(text).toContain("power     OFF: type 'restart'");
      expect(text).toContain("error: the power is on: 'crash' first");
      expect(text).toContain('error: the power is off');
      expect(text).toMatch(/3 of \d+ event\(s\) since this boot; hash [0-9a-f]{16}/);
      expect(h.session.isEnded).toBe(true);
    } finally {
      await h.session.close();
    }
  });

  it('help lists every command of every group, and explains one', async () => {
    const h = await harness();
    try {
      const { text } = await h.run('help', 'help grant', 'help nothing');
      for (const group of h.registry.all()) for (const c of group.commands) expect(text).toContain(`  ${group.prefix === undefined ? '' : `${group.prefix} `}${c.name}`);
      expect(text).toContain('grant <from-pid> <slot> <to-pid> [rights] [badge] [as NAME]');
      expect(text).toContain('Example: grant p1 2 p3 w 7 as back');
      expect(text).toContain("error: no command 'nothing'");
    } finally {
      await h.session.close();
    }
  });
});

describe('checkpoints in the REPL', () => {
  it('takes one on demand, and a cut-short one leaves the previous for restart', async () => {
    const h = await harness({ spec: counter, model: 'checkpoint' });
    const taken = await h.run('step 4', 'checkpoint');
    expect(taken.ok).toEqual([true, true]);
    expect(taken.text).toMatch(/checkpoint 2 at crank \d+: \d+ of \d+ object\(s\) changed/);
    const cut = await h.run('step 2', 'checkpoint 0', 'restart');
    expect(cut.ok).toEqual([true, true, true]);
    expect(cut.text).toMatch(/checkpoint 3 cut short after 0 batch\(es\)/);
    expect(cut.text).toMatch(/checkpoint: resumed at checkpoint 2/);
    expect(cut.text).toMatch(/ok {3}I10 checkpoint equivalence/);
    await h.session.close();
  });

  it('refuses under the explicit model, saying how to get one', async () => {
    const h = await harness({ spec: counter });
    const r = await h.run('checkpoint');
    expect(r.ok).toEqual([false]);
    expect(r.text).toMatch(/runs the 'explicit' model: start the repl with --model checkpoint/);
    await h.session.close();
  });
});

describe('snapshots in the REPL', () => {
  it('saves, lists, spawns twice to the same state hash (I7), switches, and booms', async () => {
    const h = await harness({ spec: counter });
    const r = await h.run('step 4', 'snap save first', 'step 3', 'snap scores', 'snap spawn first', 'snap spawn first again', 'snap status', 'snap use again', 'ps', 'snap use main', 'snap boom again', 'snap status');
    expect(r.ok).toEqual(Array(12).fill(true));
    const hashes = [...r.text.matchAll(/state hash ([0-9a-f]{16})/g)].map((m) => m[1]);
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toBe(hashes[1]);
    expect(r.text).toMatch(/^first\s+\S+\s+3\s/m);
    expect(r.text).toMatch(/now driving 'again'/);
    expect(r.text).toMatch(/'again' is gone/);
    const last = r.text.slice(r.text.lastIndexOf('INSTANCE'));
    expect(last).toMatch(/\* main/);
    expect(last).toMatch(/first-1\s+first\s+on/);
    expect(last).not.toMatch(/again/);
    await h.session.close();
  });

  it('refuses an existing name, a boom of the instance in use, and an unknown snapshot, one line each', async () => {
    const h = await harness({ spec: counter });
    const r = await h.run('snap save s', 'snap save s', 'snap boom main', 'snap spawn nothing');
    expect(r.ok).toEqual([true, false, false, false]);
    expect(r.text).toMatch(/snapshot 's' exists already/);
    expect(r.text).toMatch(/the main system cannot be boomed/);
    expect(r.text).toMatch(/nothing/);
    await h.session.close();
  });
});

describe('call from the console', () => {
  it('answers with the reply, and with the kernel error when the callee faults', async () => {
    const h = await harness();
    const r = await h.run('call pong-service {"n": 5}', 'call pong-service "not an object"', 'ps');
    expect(r.ok).toEqual([true, true, true]);
    expect(r.text).toMatch(/answer after \d+ crank\(s\): \{"pong":5\}/);
    expect(r.text).toMatch(/error after \d+ crank\(s\): callee_faulted/);
    // Each console ends when its answer is in.
    expect(r.text.match(/repl-console\s+\[\]\s+exited/g)?.length).toBe(2);
    await h.session.close();
  });

  it('survives a checkpoint that caught a console, and a restart from it', async () => {
    const h = await harness({ spec: pingPong, model: 'checkpoint' });
    const r = await h.run('call pong-service {"n": 1}', 'checkpoint', 'crash', 'restart', 'call pong-service {"n": 2}');
    expect(r.ok).toEqual([true, true, true, true, true]);
    expect(r.text).toMatch(/\{"pong":2\}/);
    expect(r.text).toMatch(/ok {3}I10 checkpoint equivalence/);
    await h.session.close();
  });

  it('refuses an endpoint that does not exist, one line', async () => {
    const h = await harness();
    const r = await h.run('call nowhere 1');
    expect(r.ok).toEqual([false]);
    expect(r.text).toMatch(/no endpoint named 'nowhere'/);
    await h.session.close();
  });
});

describe('can and reach: the authority analysis on the live session', () => {
  it('answers at this crank, and a revoke changes the answer', async () => {
    const h = await harness();
    await h.run('step 4');
    const before = await h.run('can p3', 'reach 5');
    expect(before.ok).toEqual([true, true]);
    expect(before.text).toMatch(/from p1: p1 can grant through endpoint 6, which p3 reads/);
    expect(before.text).toMatch(/2 subject\(s\) could come to hold a capability to endpoint 5/);
    const wrong = await h.run('reach 999');
    expect(wrong.ok).toEqual([false]);
    expect(wrong.text).toMatch(/no endpoint or storage object 999/);
    await h.run('revoke p1 1', 'delete p1 2');
    const after = await h.run('reach 5');
    expect(after.text).toMatch(/^1 subject\(s\) could come to hold a capability to endpoint 5/);
  });
});

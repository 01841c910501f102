/**
 * flood — flow control: a producer faster than its consumers is slowed, and memory stays
 * bounded (DESIGN.md I12).
 *
 * One crank of the producer sends a burst to each of two consumers and a 'more' note to
 * itself, so it would run forever at full speed; each consumer takes one message per crank.
 * Two bounds hold it back:
 *  - accounts (as Syndicate's): every delivery the producer caused is charged to its account
 *    until delivered; while it owes more than `account_debt_max` the scheduler does not run
 *    it (a 'throttle' event in the trace) and the consumers catch up;
 *  - queues: an endpoint holds at most `queue_length_max` undelivered messages; a send to a
 *    full one throws KernelError 'queue_full', which the producer catches and treats as
 *    "back off": it stops that burst and counts a backoff. (With the default limits the
 *    account bound bites first; give the kernel a smaller queue_length_max to see both.)
 *
 * Everyone saves its progress in a storage object read back in init; the producer's init
 * also sends itself a new 'more' note when a flood was under way, so a restart resumes the
 * flood where the last commit left it (the queued messages themselves are volatile).
 */
import { KernelError, type Ctx, type Program, type SystemSpec } from '../kernel/index.ts';

type Progress = { sent: number; backoffs: number };

const progress = (ctx: Ctx): number => ctx.lookup('progress') as number;

/** args: [burst per consumer per crank, total messages to send] */
const producer: Program<Progress> = {
  init(ctx) {
    const saved = ctx.read(progress(ctx)) as Progress;
    // A flood the power loss interrupted goes on: its 'more' note was volatile, so send another.
    const [, total] = ctx.self.args as [number, number];
    if (saved.sent > 0 && saved.sent < total) ctx.send(ctx.lookup('loop') as number, 'more');
    return saved;
  },
  receive(ctx, state, message) {
    if (message.type !== 'send') return state;
    const [burst, total] = ctx.self.args as [number, number];
    let { sent, backoffs } = state;
    for (const sink of ['sink-a', 'sink-b']) {
      for (let j = 0; j < burst && sent < total; j++) {
        try {
          ctx.send(ctx.lookup(sink) as number, { seq: sent });
          sent++;
        } catch (err) {
          if (!(err instanceof KernelError && err.code === 'queue_full')) throw err;
          backoffs++;
          break; // this consumer is full: try again next crank
        }
      }
    }
    if (sent < total) ctx.send(ctx.lookup('loop') as number, 'more');
    const next = { sent, backoffs };
    ctx.write(progress(ctx), next);
    return next;
  },
};

/** Takes one message per crank and counts it. args: [the name of its count's storage object] */
const consumer: Program<{ received: number }> = {
  init(ctx) {
    return ctx.read(ctx.lookup(ctx.self.args[0] as string) as number) as { received: number };
  },
  receive(ctx, state) {
    const next = { received: state.received + 1 };
    ctx.write(ctx.lookup(ctx.self.args[0] as string) as number, next);
    return next;
  },
};

export const system: SystemSpec = {
  name: 'flood',
  description: 'flow control: a fast producer is throttled and backs off from full queues; memory stays bounded',
  programs: { producer, consumer },
  processes: [
    { name: 'producer', program: 'producer', args: [40, 20_000] },
    { name: 'consumer-a', program: 'consumer', args: ['count-a'] },
    { name: 'consumer-b', program: 'consumer', args: ['count-b'] },
  ],
  endpoints: [
    { name: 'loop', owner: 'producer' },
    { name: 'in-a', owner: 'consumer-a' },
    { name: 'in-b', owner: 'consumer-b' },
  ],
  storage: [
    { name: 'progress', owner: 'producer', data: { sent: 0, backoffs: 0 } },
    { name: 'count-a', owner: 'consumer-a', data: { received: 0 } },
    { name: 'count-b', owner: 'consumer-b', data: { received: 0 } },
  ],
  caps: [
    { holder: 'producer', name: 'sink-a', target: 'in-a', rights: 'w' },
    { holder: 'producer', name: 'sink-b', target: 'in-b', rights: 'w' },
  ],
  input: (i) => (i === 0 ? { to: 'loop', payload: 'start' } : null),
};

/**
 * A kernel with two processes that run whatever a test hands them, one crank per step, and a
 * gatekeeper both hold: each step's result (or the KernelError code it threw) is its state.
 */
import { Kernel, KernelError, READ, WRITE, type Ctx, type PlainData, type Program } from '../../../kernel/index.ts';

export type Step = (ctx: Ctx) => PlainData;

export interface Bench {
  kernel: Kernel;
  /** Process ids: a maker and a holder. */
  a: number;
  b: number;
  /** a's capability to the service endpoint (rwg), b's gatekeeper slot, a's gatekeeper slot. */
  serviceSlot: number;
  gateA: number;
  gateB: number;
  /** Runs `step` as one crank of `pid`; returns what it returned, or `error:<code>`. */
  run(pid: number, step: Step): PlainData;
}

export function bench(options: { trace?: 'full' | 'hash' } = {}): Bench {
  const steps: Step[] = [];
  const runner: Program<PlainData> = {
    init: () => null,
    receive(ctx) {
      const step = steps.shift();
      if (step === undefined) return null;
      try {
        return step(ctx);
      } catch (err) {
        if (err instanceof KernelError) return `error:${err.code}`;
        throw err;
      }
    },
  };
  const kernel = new Kernel({ programs: { runner }, seed: 9, trace: options.trace ?? 'hash' });
  const owner = kernel.spawn('runner', [], { persistent: true });
  const a = kernel.spawn('runner', [], { persistent: true });
  const b = kernel.spawn('runner', [], { persistent: true });
  const service = kernel.createEndpoint(owner, { name: 'service' });
  const inboxA = kernel.createEndpoint(a, { name: 'in' }).id;
  const inboxB = kernel.createEndpoint(b, { name: 'in' }).id;
  const serviceSlot = kernel.grant(owner, service.slot, a, { name: 'service' });
  const gate = kernel.createGatekeeper();
  const gateA = kernel.grantGatekeeper(gate, a, { name: 'gate' });
  const gateB = kernel.grantGatekeeper(gate, b, { name: 'gate', rights: READ | WRITE });
  kernel.startAll();
  const run = (pid: number, step: Step): PlainData => {
    steps.push(step);
    kernel.inject(pid === a ? inboxA : inboxB, null);
    kernel.run();
    return kernel.process(pid).state;
  };
  return { kernel, a, b, serviceSlot, gateA, gateB, run };
}

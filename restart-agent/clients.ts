/**
 * The clients outside the machine and their history. Each client calls its endpoint through the
 * capability its description gives it, one operation at a time (it waits for each answer), and
 * every call and every answer it gets is appended to the history — which lives here, with the
 * System, not in the kernel, so a power loss cannot touch it. Answers pass the output gate
 * (output-commit.ts) on their way out; a power loss turns every call still waiting into
 * `indeterminate` and drops what the gate held.
 *
 * Calls go in between cranks (`issue`), answers come out of the kernel after each crank
 * (`collect`), and leave when the System says what is durable (`release`). An answer whose
 * ticket no client waits for — a call restored from a checkpoint, made before the power went —
 * is dropped: the client that made it was told `indeterminate` already.
 */
import { KernelError, type ClientSpec, type HostAnswer, type Kernel, type ObjectId } from '../kernel/index.ts';
import type { HistoryEntry, HistoryValue } from './history.ts';
import { OutputGate, type OutputRelease } from './output-commit.ts';

/** The most operations one System's clients issue: a bound on the history's length. */
export const CLIENT_OPS_MAX = 100_000;

interface ClientRun {
  spec: ClientSpec;
  /** The index of its next operation. */
  next: number;
  done: boolean;
  /** The call it waits on: the history id and the kernel's ticket (the reply object). */
  waiting: { id: number; ticket: ObjectId } | null;
}

interface Answer {
  client: ClientRun;
  id: number;
  answer: HostAnswer;
}

export class ClientDriver {
  readonly history: HistoryEntry[] = [];
  private readonly clients: ClientRun[];
  private readonly gate: OutputGate<Answer>;
  private nextId = 1;

  constructor(specs: readonly ClientSpec[], release: OutputRelease) {
    this.clients = specs.map((spec) => ({ spec, next: 0, done: false, waiting: null }));
    this.gate = new OutputGate(release);
  }

  /** True when the system has clients at all. */
  get active(): boolean {
    return this.clients.length > 0;
  }

  /** Answers waiting for their work to become durable. */
  get holding(): number {
    return this.gate.holding;
  }

  /** The newest crank whose answer left the machine: what I13 holds a restart to. */
  get releasedThrough(): number {
    return this.gate.releasedThrough;
  }

  get release(): OutputRelease {
    return this.gate.release;
  }

  /** True while some client has an operation to issue or waits for an answer. */
  get busy(): boolean {
    return this.clients.some((c) => c.waiting !== null || !c.done);
  }

  /**
   * Every client that waits on nothing issues its next operation. A call the kernel refuses (the
   * endpoint is gone, its queue full) fails at once, as a connection refused would.
   */
  issue(kernel: Pick<Kernel, 'hostCall' | 'objects'>, endpointOf: (label: string) => ObjectId | undefined, now: number): void {
    for (const c of this.clients) {
      if (c.waiting !== null || c.done) continue;
      if (this.nextId > CLIENT_OPS_MAX) {
        c.done = true;
        continue;
      }
      const op = c.spec.ops(c.next);
      if (op === null || op === undefined) {
        c.done = true;
        continue;
      }
      c.next++;
      const id = this.nextId++;
      const value = (op.value ?? null) as HistoryValue;
      this.history.push({ type: 'invoke', id, client: c.spec.name, op: op.op, value, crank: now });
      const endpoint = endpointOf(c.spec.cap.target);
      // No label, or a label whose endpoint a damaged store lost: to the client it is gone.
      if (endpoint === undefined || kernel.objects.get(endpoint)?.kind !== 'endpoint') {
        this.history.push({ type: 'fail', id, client: c.spec.name, error: 'revoked', crank: now, heldCranks: 0 });
        continue;
      }
      try {
        const ticket = kernel.hostCall(endpoint, { op: op.op, value: op.value ?? null }, c.spec.cap.badge ?? 0);
        c.waiting = { id, ticket };
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        this.history.push({ type: 'fail', id, client: c.spec.name, error: error.code, crank: now, heldCranks: 0 });
      }
    }
  }

  /**
   * The kernel's answers after a crank; `crankBase` turns the kernel's crank count into the
   * System's clock. Under 'unsafe' they leave at once; otherwise they wait for `releaseThrough`.
   */
  collect(answers: readonly HostAnswer[], crankBase: number, now: number, note: (text: string) => void): void {
    for (const a of answers) {
      const client = this.clients.find((c) => c.waiting?.ticket === a.reply);
      if (client === undefined || client.waiting === null) continue;
      const left = this.gate.hold(crankBase + a.crank, { client, id: client.waiting.id, answer: a });
      this.deliver(left, now, note);
    }
  }

  /** Everything produced at or before `durableThrough` leaves the machine, in order. */
  releaseThrough(durableThrough: number, now: number, note: (text: string) => void): void {
    this.deliver(this.gate.releaseThrough(durableThrough), now, note);
  }

  /** The power went: calls still waiting are indeterminate, held answers never left. */
  powerLoss(now: number): void {
    this.gate.drop();
    this.history.push({ type: 'power-loss', crank: now });
    for (const c of this.clients) {
      if (c.waiting === null) continue;
      this.history.push({ type: 'indeterminate', id: c.waiting.id, client: c.spec.name, crank: now });
      c.waiting = null;
    }
  }

  private deliver(left: readonly { producedAt: number; answer: Answer }[], now: number, note: (text: string) => void): void {
    for (const { producedAt, answer } of left) {
      const { client, id, answer: a } = answer;
      if (client.waiting?.id !== id) continue;
      client.waiting = null;
      const heldCranks = Math.max(0, now - producedAt);
      const name = client.spec.name;
      if (a.ok) this.history.push({ type: 'ok', id, client: name, value: a.payload as HistoryValue, crank: now, heldCranks });
      else this.history.push({ type: 'fail', id, client: name, error: a.error ?? 'no_reply', crank: now, heldCranks });
      note(`answer to ${name} #${id} leaves the machine, held ${heldCranks} crank(s)`);
    }
  }
}

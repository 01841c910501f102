/**
 * A FIFO of messages for one process (all of its endpoints together, in arrival order).
 * An array with a moving head, compacted when the dead prefix outgrows the live part: O(1)
 * amortised, no per-message node objects.
 */
import type { Message } from './message.ts';

export class Inbox {
  private items: (Message | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(message: Message): void {
    this.items.push(message);
  }

  peek(): Message | undefined {
    return this.items[this.head];
  }

  /** The newest message, or undefined when empty. */
  peekLast(): Message | undefined {
    return this.length === 0 ? undefined : this.items[this.items.length - 1];
  }

  shift(): Message | undefined {
    if (this.head >= this.items.length) return undefined;
    const message = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head >= this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 32 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return message;
  }

  /** Removes and returns everything, in order. */
  drain(): Message[] {
    const out = this.items.slice(this.head) as Message[];
    this.items = [];
    this.head = 0;
    return out;
  }

  toArray(): Message[] {
    return this.items.slice(this.head) as Message[];
  }
}

/**
 * A FIFO of messages for one process (all of its endpoints together, in arrival order).
 * An array used from `head` to `tail`: both go back to 0 whenever it empties (a relay's inbox
 * empties every crank), and the live part is moved to the front when the dead prefix outgrows
 * it, so a message costs O(1) amortised and no per-message node. The array's own length is
 * never set: V8's length setter is a runtime call, the slowest step of a one-way delivery.
 * Its capacity is the most messages ever waiting at once, which flow control bounds.
 */
import type { Message } from './message.ts';

const COMPACT_AFTER = 32;

export class Inbox {
  private items: (Message | undefined)[] = [];
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(message: Message): void {
    if (this.tail < this.items.length) this.items[this.tail] = message;
    else this.items.push(message);
    this.tail++;
  }

  peek(): Message | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }

  /** The newest message, or undefined when empty. */
  peekLast(): Message | undefined {
    return this.head < this.tail ? this.items[this.tail - 1] : undefined;
  }

  shift(): Message | undefined {
    if (this.head >= this.tail) return undefined;
    const message = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return message;
  }

  /** Removes and returns everything, in order. */
  drain(): Message[] {
    const out = this.toArray();
    this.items = [];
    this.head = 0;
    this.tail = 0;
    return out;
  }

  toArray(): Message[] {
    return this.items.slice(this.head, this.tail) as Message[];
  }
}

/**
 * The undo journal that makes a crank all-or-nothing. Every change a syscall makes to shared
 * kernel structures (slots, the derivation tree, names, objects) pushes its inverse here; if
 * the handler throws, the inverses run newest first and the kernel is as it was before the
 * crank. Sends are not journaled: they wait in the crank's outbox until the crank commits.
 */
export class Journal {
  private undos: (() => void)[] = [];

  push(undo: () => void): void {
    this.undos.push(undo);
  }

  get length(): number {
    return this.undos.length;
  }

  rollback(): void {
    for (let i = this.undos.length - 1; i >= 0; i--) (this.undos[i] as () => void)();
    this.undos = [];
  }

  clear(): void {
    // Most cranks journal nothing; a fresh array is cheaper than V8's length setter.
    if (this.undos.length !== 0) this.undos = [];
  }
}

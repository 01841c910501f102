/**
 * A recursive-descent parser for capDL, rule for rule the grammar of capDL-tool's Parser.hs
 * and ParserUtils.hs: `arch`, then one or more sections (`objects`, `caps`, `irq maps`, `cdt`,
 * `domains`). Every mistake is a CapdlError at the token where it was found.
 */
import { ARCHES, OBJECT_TYPES, type Arch, type CapMappingDecl, type CapParam, type CapdlModule, type CdtNode, type Decl, type DomainItem, type NameRef, type ObjParam, type ObjectDecl, type ObjectType, type Range, type Right, type SlotRef } from './ast.ts';
import { CapdlError } from './errors.ts';
import { lex, type CapsimNote, type Token } from './lexer.ts';

/** Slot words and the TCB slot numbers they stand for (capDL-tool's Model.hs). */
export const SYMBOLIC_SLOTS: Readonly<Record<string, number>> = Object.freeze({
  cspace: 0, vspace: 1, reply_slot: 2, caller_slot: 3, ipc_buffer_slot: 4, fault_ep_slot: 5,
  sc_slot: 6, temp_fault_ep_slot: 7, bound_notification: 8, bound_vcpu: 9,
});

/** `key: number` object parameters; `resume`/`fpu_disabled` take True/False, `trigger` level/edge. */
const NUMBER_PARAMS = new Set([
  'addr', 'ip', 'sp', 'prio', 'max_prio', 'affinity', 'dom', 'fault_ep', 'paddr', 'domainID', 'iospace', 'period',
  'budget', 'data', 'bank', 'ioapic_num', 'ioapic_pin', 'ioapic_level', 'ioapic_polarity', 'msi_handle', 'msi_pci_bus',
  'msi_pci_dev', 'msi_pci_fun', 'target', 'irq', 'asid_high', 'level',
]);
const BOOLEAN_PARAMS = new Set(['resume', 'fpu_disabled']);
const RIGHT_LETTERS: Readonly<Record<string, Right>> = { R: 'R', W: 'W', G: 'G', X: 'G', P: 'P' };
/** Bounds on nesting, so that a hostile file cannot exhaust the stack. */
const NESTING_MAX = 200;

export interface ParsedCapdl {
  module: CapdlModule;
  notes: CapsimNote[];
}

export function parseCapdl(text: string, file: string): ParsedCapdl {
  const { tokens, notes } = lex(text, file);
  return { module: new Parser(tokens, file).module(), notes };
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  module(): CapdlModule {
    this.expectWord('arch');
    const archToken = this.peek();
    const arch = this.identText();
    if (!(ARCHES as readonly string[]).includes(arch)) this.failAt(archToken, `unknown arch '${arch}' (use ${ARCHES.join(', ')})`);
    const decls: Decl[] = [];
    do decls.push(...this.section());
    while (this.peek().kind !== 'end');
    return { arch: arch as Arch, decls };
  }

  private section(): Decl[] {
    const t = this.peek();
    if (this.isWord('objects')) return this.objects();
    if (this.isWord('caps')) return this.caps();
    if (this.isWord('irq') && this.isWord('maps', 1)) return [this.irqMaps()];
    if (this.isWord('cdt')) return this.cdt();
    if (this.isWord('domains')) return [this.domains()];
    return this.failAt(t, `expected a section (objects, caps, irq maps, cdt or domains), found ${describe(t)}`);
  }

  // ---- objects -----------------------------------------------------------------------------

  private objects(): Decl[] {
    this.next();
    this.expectSymbol('{');
    const decls: Decl[] = [];
    while (!this.isSymbol('}')) decls.push({ kind: 'object', decl: this.objectDecl() });
    this.next();
    return decls;
  }

  private objectDecl(): ObjectDecl {
    const pos = this.peek().pos;
    const qname = [this.nameRef()];
    while (this.isSymbol('/')) {
      this.next();
      qname.push(this.nameRef());
    }
    this.expectSymbol('=');
    const typeToken = this.peek();
    const type = this.identText();
    if (!(OBJECT_TYPES as readonly string[]).includes(type)) this.failAt(typeToken, `unknown object type '${type}'`);
    const params = this.isSymbol('(') ? this.objectParams() : [];
    const nested: ObjectDecl['nested'] = [];
    if (this.isSymbol('{')) {
      this.enter();
      this.next();
      while (!this.isSymbol('}')) {
        if (this.startsObjectDecl()) nested.push({ decl: this.objectDecl() });
        else nested.push({ ref: this.nameRef() });
        if (this.isSymbol(',')) this.next();
      }
      this.next();
      this.depth -= 1;
    }
    return { qname, type: type as ObjectType, params, nested, pos };
  }

  /** True when a qualified name and '=' come next (an object declaration, not a covered name). */
  private startsObjectDecl(): boolean {
    return this.lookahead(() => {
      this.nameRef();
      while (this.isSymbol('/')) {
        this.next();
        this.nameRef();
      }
      return this.isSymbol('=');
    });
  }

  /** Runs `probe` and puts the reader back where it was: true when it says so and reads without a mistake. */
  private lookahead(probe: () => boolean): boolean {
    const save = this.at;
    try {
      return probe();
    } catch (err) {
      if (err instanceof CapdlError) return false;
      throw err;
    } finally {
      this.at = save;
    }
  }


  private objectParams(): ObjParam[] {
    this.expectSymbol('(');
    const params: ObjParam[] = [];
    if (!this.isSymbol(')')) {
      params.push(this.objectParam());
      while (this.isSymbol(',')) {
        this.next();
        params.push(this.objectParam());
      }
    }
    this.expectSymbol(')');
    return params;
  }

  private objectParam(): ObjParam {
    const t = this.peek();
    if (t.kind === 'number') {
      const n = this.number();
      if (this.isWord('bits')) return this.next(), { kind: 'bits', n };
      if (this.isWord('k')) return this.next(), { kind: 'vmSize', bytes: n * 2 ** 10 };
      if (this.isWord('M')) return this.next(), { kind: 'vmSize', bytes: n * 2 ** 20 };
      if (this.isSymbol(':')) {
        this.next();
        const dev = this.number();
        this.expectSymbol('.');
        return { kind: 'pci', bus: n, dev, fun: this.number() };
      }
      return this.failAt(this.peek(), `expected 'bits', 'k', 'M' or a PCI address after the number ${t.text}, found ${describe(this.peek())}`);
    }
    const key = this.identText();
    this.expectSymbol(':');
    if (key === 'init') {
      this.expectSymbol('[');
      const args: number[] = [];
      if (!this.isSymbol(']')) {
        args.push(this.number());
        while (this.isSymbol(',')) {
          this.next();
          args.push(this.number());
        }
      }
      this.expectSymbol(']');
      return { kind: 'init', args };
    }
    if (key === 'ports') {
      this.expectSymbol('[');
      const from = this.number();
      this.expectSymbol('..');
      const to = this.number();
      this.expectSymbol(']');
      return { kind: 'ports', from, to };
    }
    if (key === 'fill') return { kind: 'fill', entries: this.fillEntries() };
    if (BOOLEAN_PARAMS.has(key)) {
      const word = this.identText();
      if (word !== 'True' && word !== 'False') this.failAt(t, `'${key}' takes True or False, got '${word}'`);
      return { kind: 'keyed', key, value: word === 'True' };
    }
    if (key === 'trigger') {
      const word = this.identText();
      if (word !== 'level' && word !== 'edge') this.failAt(t, `'trigger' takes level or edge, got '${word}'`);
      return { kind: 'keyed', key, value: word };
    }
    if (NUMBER_PARAMS.has(key)) return { kind: 'keyed', key, value: this.number() };
    return this.failAt(t, `unknown object parameter '${key}'`);
  }

  /** `fill: [{words...}, ...]`: each entry kept as the words written (a frame's initial content). */
  private fillEntries(): string[][] {
    this.expectSymbol('[');
    const entries: string[][] = [];
    while (!this.isSymbol(']')) {
      this.expectSymbol('{');
      const words: string[] = [];
      while (!this.isSymbol('}')) {
        const t = this.next();
        if (t.kind === 'end') this.failAt(t, "a fill entry never ends: '{' without its '}'");
        words.push(t.text);
      }
      this.next();
      entries.push(words);
      if (this.isSymbol(',')) this.next();
      else break;
    }
    this.expectSymbol(']');
    return entries;
  }

  // ---- caps -------------------------------------------------------------------------------

  private caps(): Decl[] {
    this.next();
    this.expectSymbol('{');
    const decls: Decl[] = [];
    while (!this.isSymbol('}')) {
      const t = this.peek();
      if (t.kind === 'ident' && this.isSymbol('=', 1)) {
        this.next();
        this.expectSymbol('=');
        this.expectSymbol('(');
        const container = this.nameRef();
        this.expectSymbol(',');
        const slot = this.slot();
        this.expectSymbol(')');
        decls.push({ kind: 'capName', name: t.text, container, slot, pos: t.pos });
        continue;
      }
      const containers = this.nameRef();
      this.expectSymbol('{');
      const mappings: CapMappingDecl[] = [];
      while (!this.isSymbol('}')) {
        mappings.push(this.capMapping());
        if (this.isSymbol(';')) this.next();
      }
      this.next();
      decls.push({ kind: 'caps', containers, mappings, pos: t.pos });
    }
    this.next();
    return decls;
  }

  private capMapping(): CapMappingDecl {
    const pos = this.peek().pos;
    let slot: number | null = null;
    const t = this.peek();
    if ((t.kind === 'number' || (t.kind === 'ident' && t.text in SYMBOLIC_SLOTS)) && this.isSymbol(':', 1)) {
      slot = this.slot();
      this.expectSymbol(':');
    }
    let slotName: NameRef | null = null;
    if (this.peek().kind === 'ident' && this.startsSlotName()) {
      slotName = this.nameRef();
      this.expectSymbol('=');
    }
    let copy = false;
    let target: NameRef;
    if (this.isSymbol('<')) {
      this.next();
      target = this.nameRef();
      this.expectSymbol('>');
      copy = true;
    } else target = this.nameRef();
    const params = this.isSymbol('(') ? this.capParams() : [];
    let parent: SlotRef | null = null;
    if (this.isSymbol('-') && this.isWord('child_of', 1)) {
      this.next();
      this.next();
      parent = this.slotRef();
    }
    return { slot, slotName, target, copy, params, parent, pos };
  }

  /** True when a name (with ranges) and '=' come next. */
  private startsSlotName(): boolean {
    return this.lookahead(() => {
      this.nameRef();
      return this.isSymbol('=');
    });
  }


  private capParams(): CapParam[] {
    this.expectSymbol('(');
    const params = [this.capParam()];
    while (this.isSymbol(',')) {
      this.next();
      params.push(this.capParam());
    }
    this.expectSymbol(')');
    return params;
  }

  private capParam(): CapParam {
    const t = this.peek();
    const word = t.kind === 'ident' ? t.text : '';
    if (word === 'masked') {
      this.next();
      this.expectSymbol(':');
      return { kind: 'masked', rights: this.rights() };
    }
    if (word !== '' && isRightsWord(word)) return { kind: 'rights', rights: this.rights() };
    if (word === 'guard' || word === 'guard_size' || word === 'badge' || word === 'core') {
      this.next();
      this.expectSymbol(':');
      return { kind: word, n: this.number() };
    }
    if (word === 'reply' || word === 'master_reply') return this.next(), { kind: word };
    if (word === 'cached' || word === 'uncached') return this.next(), { kind: 'cached', cached: word === 'cached' };
    if (word === 'asid') {
      this.next();
      this.expectSymbol(':');
      this.expectSymbol('(');
      const high = this.number();
      this.expectSymbol(',');
      const low = this.number();
      this.expectSymbol(')');
      return { kind: 'asid', high, low };
    }
    if (word === 'mapping') {
      this.next();
      this.expectSymbol(':');
      this.expectSymbol('(');
      const container = this.nameRef();
      this.expectSymbol(',');
      const slot = this.slot();
      this.expectSymbol(')');
      return { kind: 'mapping', container, slot };
    }
    return this.failAt(t, `expected a capability parameter (rights R W G X P, masked:, badge:, guard:, guard_size:, reply, master_reply, asid:, cached, uncached, mapping:, core:), found ${describe(t)}`);
  }

  /** One or more right letters, written together (RWG) or apart (R W G). */
  private rights(): Right[] {
    const rights: Right[] = [];
    const first = this.peek();
    while (this.peek().kind === 'ident' && isRightsWord(this.peek().text)) {
      for (const ch of this.next().text) rights.push(RIGHT_LETTERS[ch] as Right);
    }
    if (rights.length === 0) this.failAt(first, `expected rights (letters R W G X P), found ${describe(first)}`);
    return rights;
  }

  private slotRef(): SlotRef {
    const pos = this.peek().pos;
    if (this.isSymbol('(')) {
      this.next();
      const container = this.nameRef();
      this.expectSymbol(',');
      const slot = this.slot();
      this.expectSymbol(')');
      return { kind: 'slot', container, slot, pos };
    }
    return { kind: 'name', ref: this.nameRef(), pos };
  }

  private slot(): number {
    const t = this.peek();
    if (t.kind === 'number') return this.number();
    if (t.kind === 'ident' && t.text in SYMBOLIC_SLOTS) return this.next(), SYMBOLIC_SLOTS[t.text] as number;
    return this.failAt(t, `expected a slot (a number or ${Object.keys(SYMBOLIC_SLOTS).join(', ')}), found ${describe(t)}`);
  }

  // ---- irq maps, cdt, domains -----------------------------------------------------------------

  private irqMaps(): Decl {
    const pos = this.next().pos;
    this.next();
    this.expectSymbol('{');
    const mappings: Array<{ irq: number | null; target: NameRef }> = [];
    while (!this.isSymbol('}')) {
      let irq: number | null = null;
      if (this.peek().kind === 'number') {
        irq = this.number();
        this.expectSymbol(':');
      }
      mappings.push({ irq, target: this.nameRef() });
      if (this.isSymbol(';')) this.next();
    }
    this.next();
    return { kind: 'irqs', mappings, pos };
  }

  private cdt(): Decl[] {
    this.next();
    this.expectSymbol('{');
    const decls: Decl[] = [];
    while (!this.isSymbol('}')) {
      const pos = this.peek().pos;
      decls.push({ kind: 'cdt', tree: this.cdtNode(this.slotRef()), pos });
    }
    this.next();
    return decls;
  }

  private cdtNode(parent: SlotRef): CdtNode {
    this.enter();
    this.expectSymbol('{');
    const children: CdtNode['children'] = [];
    while (!this.isSymbol('}')) {
      const ref = this.slotRef();
      children.push(this.isSymbol('{') ? this.cdtNode(ref) : ref);
      if (this.isSymbol(';')) this.next();
    }
    this.next();
    this.depth -= 1;
    return { parent, children };
  }

  private domains(): Decl {
    const pos = this.next().pos;
    this.expectSymbol('{');
    const items: DomainItem[] = [];
    while (!this.isSymbol('}')) {
      const t = this.peek();
      const word = this.identText();
      this.expectSymbol(':');
      if (word === 'domain_set_start') {
        if (this.isWord('no_start')) {
          this.next();
          items.push({ kind: 'start', index: null });
        } else items.push({ kind: 'start', index: this.number() });
      } else if (word === 'index_shift') items.push({ kind: 'shift', n: this.number() });
      else if (word === 'schedule') {
        this.expectSymbol('[');
        const entries: Array<[number, number]> = [];
        do {
          this.expectSymbol('(');
          const domain = this.number();
          this.expectSymbol(',');
          const duration = this.number();
          this.expectSymbol(')');
          entries.push([domain, duration]);
          if (this.isSymbol(',')) this.next();
        } while (!this.isSymbol(']'));
        this.next();
        items.push({ kind: 'schedule', entries });
      } else this.failAt(t, `expected schedule, domain_set_start or index_shift, found '${word}'`);
    }
    this.next();
    return { kind: 'domains', items, pos };
  }

  // ---- names and numbers --------------------------------------------------------------------

  private nameRef(): NameRef {
    const t = this.peek();
    const name = this.identText();
    if (name === 'objects' || name === 'caps') this.failAt(t, `'${name}' is a reserved word, not a name`);
    return { name, ranges: this.isSymbol('[') ? this.ranges() : [], pos: t.pos };
  }

  private ranges(): Range[] {
    this.expectSymbol('[');
    if (this.isSymbol(']')) return this.next(), [{ kind: 'all' }];
    const ranges = [this.range()];
    while (this.isSymbol(',')) {
      this.next();
      ranges.push(this.range());
    }
    this.expectSymbol(']');
    return ranges;
  }

  private range(): Range {
    if (this.isSymbol('..')) {
      this.next();
      return { kind: 'to', to: this.number() };
    }
    const from = this.number();
    if (!this.isSymbol('..')) return { kind: 'only', n: from };
    this.next();
    if (this.peek().kind === 'number') return { kind: 'fromTo', from, to: this.number() };
    return { kind: 'from', from };
  }

  private number(): number {
    const t = this.peek();
    if (t.kind !== 'number') return this.failAt(t, `expected a number, found ${describe(t)}`);
    this.next();
    return t.value;
  }

  private identText(): string {
    const t = this.peek();
    if (t.kind !== 'ident') return this.failAt(t, `expected a name, found ${describe(t)}`);
    this.next();
    return t.text;
  }

  private expectWord(word: string): void {
    const t = this.peek();
    if (t.kind !== 'ident' || t.text !== word) this.failAt(t, `expected '${word}', found ${describe(t)}`);
    this.next();
  }

  private expectSymbol(symbol: string): void {
    const t = this.peek();
    if (t.kind !== 'symbol' || t.text !== symbol) this.failAt(t, `expected '${symbol}', found ${describe(t)}`);
    this.next();
  }

  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text === word;
  }

  private isSymbol(symbol: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'symbol' && t.text === symbol;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind === 'end') this.failAt(t, 'the file ends too early');
    this.at += 1;
    return t;
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > NESTING_MAX) this.failAt(this.peek(), `declarations nested deeper than ${NESTING_MAX}`);
  }

  private failAt(t: Token, problem: string): never {
    throw new CapdlError(this.file, t.pos, problem);
  }
}

function isRightsWord(word: string): boolean {
  return /^[RWGXP]+$/.test(word);
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the file';
  if (t.kind === 'symbol') return `'${t.text}'`;
  return `'${t.text}'`;
}

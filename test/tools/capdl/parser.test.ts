import { describe, expect, it } from 'vitest';
import { CapdlError, readCapdl, type CapdlModel, type ObjectCap } from '../../../tools/capdl/index.ts';
import { WHOLE_GRAMMAR } from './grammar.ts';

function cap(model: CapdlModel, container: string, slot: number): ObjectCap {
  const c = model.objects.get(container)?.slots.get(slot);
  if (c?.kind !== 'object') throw new Error(`no object cap in ${container} slot ${slot}`);
  return c;
}

function errorOf(text: string): CapdlError {
  try {
    readCapdl(text, 'bad.cdl');
  } catch (err) {
    if (err instanceof CapdlError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('capDL reader: the whole grammar', () => {
  const model = readCapdl(WHOLE_GRAMMAR, 'whole.cdl');

  it('reads the arch and declares arrays as name[0]..name[n-1]', () => {
    expect(model.arch).toBe('aarch64');
    expect([...model.objects.keys()].filter((k) => k.startsWith('eps'))).toEqual(['eps[0]', 'eps[1]', 'eps[2]', 'eps[3]']);
  });

  it('makes untypeds of qualified names and records what each covers, nested and listed', () => {
    expect(model.objects.get('inner')?.type).toBe('ut');
    expect(model.covers.get('pool')).toEqual(['inner', 'loose']);
    expect(model.covers.get('inner')).toEqual(['deep']);
  });

  it('reads object parameters: bits, sizes, numbers in three bases, lists, PCI addresses, ports, fill', () => {
    expect(model.objects.get('pool')?.params).toEqual([{ kind: 'bits', n: 20 }, { kind: 'keyed', key: 'paddr', value: 0x1000 }]);
    const deep = model.objects.get('deep')?.params ?? [];
    expect(deep).toContainEqual({ kind: 'init', args: [1, 2] });
    expect(deep).toContainEqual({ kind: 'keyed', key: 'prio', value: 10 });
    expect(deep).toContainEqual({ kind: 'keyed', key: 'fault_ep', value: 15 });
    expect(deep).toContainEqual({ kind: 'keyed', key: 'resume', value: true });
    expect(model.objects.get('big')?.params[0]).toEqual({ kind: 'vmSize', bytes: 2 * 2 ** 20 });
    expect(model.objects.get('big')?.params[1]).toMatchObject({ kind: 'fill' });
    expect(model.objects.get('dev')?.params).toContainEqual({ kind: 'pci', bus: 0, dev: 1, fun: 2 });
    expect(model.objects.get('ports')?.params).toEqual([{ kind: 'ports', from: 16, to: 32 }]);
    expect(model.objects.get('line')?.params).toContainEqual({ kind: 'keyed', key: 'trigger', value: 'level' });
  });

  it('puts caps in numbered, symbolic and following slots, with ranges filling consecutive slots', () => {
    expect(cap(model, 'server', 0).target).toBe('server_cn');
    expect(cap(model, 'server', 0).guardSize).toBe(60);
    expect(cap(model, 'server', 1).target).toBe('vm');
    expect(cap(model, 'server_cn', 2).target).toBe('eps[1]');
    expect(cap(model, 'server_cn', 3).target).toBe('eps[2]');
    // unnumbered: the slot after the last one written
    expect(cap(model, 'server_cn', 4).target).toBe('eps[3]');
  });

  it('reads rights (X is grant, P grant-reply), badges, reply, asid and cached', () => {
    expect(cap(model, 'server_cn', 1).rights).toEqual(['R']);
    expect(cap(model, 'server_cn', 2).rights).toEqual(['R', 'W', 'G', 'P']);
    expect(cap(model, 'server_cn', 4)).toMatchObject({ badge: 0x20, rights: ['W'] });
    expect(cap(model, 'server_cn', 6).rights).toEqual(['R', 'W']);
    expect(cap(model, 'server_cn', 7).reply).toBe('reply');
    expect(cap(model, 'server_cn', 8)).toMatchObject({ asid: [1, 2], cached: false, rights: ['R', 'W'] });
    expect(model.objects.get('server_cn')?.slots.get(9)).toMatchObject({ kind: 'control', control: 'irq_control' });
  });

  it('names slots, alone and as arrays, and by cap name declarations', () => {
    expect(model.capNames.get('recv')).toEqual({ object: 'server_cn', slot: 1 });
    expect(model.capNames.get('grants[1]')).toEqual({ object: 'client_cn', slot: 4 });
    expect(model.capNames.get('named')).toEqual({ object: 'server_cn', slot: 6 });
    expect(cap(model, 'client_cn', 0).slotName).toBe('send');
  });

  it('copies a named slot, through chains of copies, with masked rights', () => {
    expect(cap(model, 'client_cn', 1)).toMatchObject({ target: 'eps[0]', rights: [], badge: 7, copiedFrom: 'send' });
    expect(cap(model, 'client_cn', 2)).toMatchObject({ target: 'eps[0]', copiedFrom: 'copy' });
    expect(cap(model, 'client_cn', 5)).toMatchObject({ target: 'eps[1]', rights: ['G'] });
    expect(cap(model, 'client_cn', 6)).toMatchObject({ target: 'eps[2]', rights: ['G'] });
    expect(model.objects.get('client_cn')?.slots.get(8)).toMatchObject({ kind: 'control', control: 'irq_control' });
  });

  it('records the derivation tree from child_of and the cdt section', () => {
    expect(model.cdt).toContainEqual({ child: { object: 'client_cn', slot: 5 }, parent: { object: 'client_cn', slot: 0 } });
    expect(model.cdt).toContainEqual({ child: { object: 'client_cn', slot: 7 }, parent: { object: 'server_cn', slot: 8 } });
    expect(model.cdt).toContainEqual({ child: { object: 'server_cn', slot: 6 }, parent: { object: 'server_cn', slot: 1 } });
    expect(model.cdt).toContainEqual({ child: { object: 'client_cn', slot: 1 }, parent: { object: 'client_cn', slot: 0 } });
  });

  it('maps IRQs, numbering the unnumbered after the last, and reads the domain schedule', () => {
    expect([...model.irqs]).toEqual([[3, 'line'], [4, 'line']]);
    expect(model.domains).toEqual([{ kind: 'schedule', entries: [[0, 10], [1, 5]] }, { kind: 'start', index: null }, { kind: 'shift', n: 2 }]);
  });
});

describe('capDL reader: a mistake is one error with file, line and column', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['arch arm11\nobjects {\n  x = blob\n}', 'bad.cdl:3:7', /unknown object type 'blob'/],
    ['arch arm11\nobjects { x = ep }\ncaps {\n  x { 0: x }\n}', 'bad.cdl:4:3', /holds no capabilities/],
    ['arch arm11\nobjects { c = cnode (2 bits) }\ncaps {\n  c { 0: y }\n}', 'bad.cdl:4:10', /unknown object 'y'/],
    ['arch arm11\nobjects { c = cnode (2 bits) e = ep }\ncaps { c { 0: e\n 0: e } }', 'bad.cdl:4:2', /slot 0 of 'c' is already filled/],
    ['arch arm11\nobjects { c = cnode (2 bits) e = ep }\ncaps { c { n = e\n 1: <n> } }', 'bad.cdl:3:8', /both copies of caps and unnumbered slots/],
    ['arch arm11\nobjects { c = cnode (2 bits) }\ncaps { c { 1: <nowhere> } }', 'bad.cdl:3:16', /unknown capability name 'nowhere'/],
    ['arch arm11\nobjects { e = ep\n e = ep }', 'bad.cdl:3:2', /'e' is declared twice/],
    ['arch arm11\nobjects { e = ep } /* open /* nested */', 'bad.cdl:2:20', /never ends/],
    ['arch arm11\nobjects { e = ep ! }', 'bad.cdl:2:18', /unexpected character '!'/],
    ['arch pdp11\nobjects { }', 'bad.cdl:1:6', /unknown arch 'pdp11'/],
    ['arch arm11\n', 'bad.cdl:2:1', /expected a section/],
    ['arch arm11\nobjects { c = cnode (2 bits) e = ep }\ncaps { c { 0: e (RW, guard: 1) } }', 'bad.cdl:3:12', /incorrect parameter 'guard'/],
  ];
  for (const [text, where, problem] of cases) {
    it(`${where}: ${problem.source}`, () => {
      const err = errorOf(text);
      expect(err.message.startsWith(`${where}: `)).toBe(true);
      expect(err.message).toMatch(problem);
      expect(err.message).not.toContain('\n');
    });
  }
});

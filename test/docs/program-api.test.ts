/**
 * Keeps docs/program-api.md honest: the syscalls are taken from the Ctx interface in
 * kernel/program.ts (checked against a real ctx at run time), the error codes from the kernel's
 * own list, so a syscall or code added without its documentation fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { KERNEL_ERROR_CODES, Kernel, type Ctx } from '../../kernel/index.ts';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const page = readFileSync(root('docs/program-api.md'), 'utf8');

/** The member names an interface of kernel/program.ts declares, in order. */
function interfaceMembers(name: string): string[] {
  const file = ts.createSourceFile('program.ts', readFileSync(root('kernel/program.ts'), 'utf8'), ts.ScriptTarget.Latest);
  const found = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (found === undefined) throw new Error(`kernel/program.ts declares no interface ${name}`);
  return found.members.map((m) => (m.name !== undefined && ts.isIdentifier(m.name) ? m.name.text : '?'));
}

/** A real ctx, as a program's init receives it. */
function realCtx(): Ctx {
  let seen: Ctx | null = null;
  const kernel = new Kernel({ programs: { probe: { init: (ctx) => ((seen = ctx), null), receive: (_ctx, state) => state } } });
  kernel.start(kernel.spawn('probe'));
  if (seen === null) throw new Error('init never ran');
  return seen;
}

const headings = page.split('\n').filter((line) => /^#{2,4} /.test(line));
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('docs/program-api.md', () => {
  const members = interfaceMembers('Ctx');

  test('the Ctx interface is what a program really gets', () => {
    const ctx = realCtx() as unknown as Record<string, unknown>;
    for (const name of members) {
      if (name === 'self') expect(typeof ctx[name]).toBe('object');
      else expect(typeof ctx[name], `ctx.${name}`).toBe('function');
    }
    expect(members.length).toBeGreaterThan(20);
  });

  test.each(members)('ctx.%s has its own section heading', (name) => {
    const heading = new RegExp(`^#{2,4} \`ctx\\.${escape(name)}\\b`);
    expect(headings.some((h) => heading.test(h)), `no heading '### \`ctx.${name}…\`' in docs/program-api.md`).toBe(true);
  });

  test.each([...KERNEL_ERROR_CODES])('error code %s is explained', (code) => {
    expect(page.includes(`\`${code}\``), `docs/program-api.md never mentions \`${code}\``).toBe(true);
  });

  test.each(interfaceMembers('Delivery'))('Delivery field %s is described', (field) => {
    expect(page.includes(`\`${field}\``), `docs/program-api.md never mentions the Delivery field \`${field}\``).toBe(true);
  });
});

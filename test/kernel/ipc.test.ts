import { describe, expect, test } from 'vitest';
import { READ, type PlainData } from '../../kernel/index.ts';
import { A_TO_B, pair } from './support/fixtures.ts';
import { Lab } from './support/lab.ts';

describe('ipc', () => {
  test('mutating a payload after send does not change what the receiver sees', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => {
      const payload = { n: 1, list: [1, 2], inner: { s: 'x' } };
      ctx.send(A_TO_B, payload);
      const tries = [() => { payload.n = 2; }, () => { payload.list.push(3); }, () => { payload.inner.s = 'y'; }];
      for (const t of tries) {
        try {
          t();
        } catch {
          // frozen: strict mode throws
        }
      }
    });
    lab.kernel.run();
    expect(lab.payloads('b')).toEqual([{ n: 1, list: [1, 2], inner: { s: 'x' } }]);
  });

  test('a receiver cannot change what it was sent, nor what another receiver of the same data sees', () => {
    const lab = new Lab();
    const shared = { v: [1] };
    lab.spawn('r1', { receive: (_ctx, m) => { try { (m.payload as { v: number[] }).v.push(9); } catch { /* frozen */ } } });
    lab.spawn('r2');
    const e1 = lab.endpoint('r1').id;
    const e2 = lab.endpoint('r2').id;
    lab.kernel.startAll();
    lab.kernel.inject(e1, shared);
    lab.kernel.inject(e2, shared);
    lab.kernel.run();
    expect(lab.payloads('r2')).toEqual([{ v: [1] }]);
    expect(shared).toEqual({ v: [1] });
  });

  test('host input that is not plain data is refused before it is queued', () => {
    const { lab, endpoint } = pair();
    expect(() => lab.kernel.inject(endpoint, { f: () => 1 } as unknown as PlainData)).toThrow(/not_plain_data/);
    lab.kernel.run();
    expect(lab.deliveries('b')).toEqual([]);
  });

  test('messages from several senders to one process keep each sender\'s order', () => {
    const lab = new Lab();
    lab.spawn('sink');
    const sink = lab.endpoint('sink', 0);
    for (const name of ['s1', 's2']) {
      lab.spawn(name, { init: (ctx) => { for (let i = 0; i < 3; i++) ctx.send(0, `${name}.${i}`); } });
      lab.grant('sink', sink.slot, name, { slot: 0, badge: name === 's1' ? 1 : 2 });
    }
    lab.kernel.startAll();
    lab.kernel.run();
    const got = lab.deliveries('sink');
    expect(got.filter((m) => m.badge === 1).map((m) => m.payload)).toEqual(['s1.0', 's1.1', 's1.2']);
    expect(got.filter((m) => m.badge === 2).map((m) => m.payload)).toEqual(['s2.0', 's2.1', 's2.2']);
  });

  test('the badge tells senders apart: each sees its own', () => {
    const { lab } = pair();
    const b5 = lab.grant('b', 0, 'a', { badge: 5, rights: READ | 2 });
    lab.poke('a', (ctx) => {
      ctx.send(A_TO_B, 'plain');
      ctx.send(b5, 'badged');
    });
    lab.kernel.run();
    expect(lab.deliveries('b').map((m) => [m.payload, m.badge])).toEqual([
      ['plain', 0],
      ['badged', 5],
    ]);
  });

  test('a send is delivered only after the sending crank ends', () => {
    const { lab } = pair();
    const seenDuring: number[] = [];
    lab.poke('a', (ctx) => {
      ctx.send(A_TO_B, 1);
      seenDuring.push(lab.deliveries('b').length);
    });
    expect(seenDuring).toEqual([0]);
    lab.kernel.run();
    expect(lab.deliveries('b')).toHaveLength(1);
  });
});

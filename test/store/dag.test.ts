import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeLeaf, encodeNode, hashOf, StoreError, walkBlocks } from '../../store/index.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function library(blocks: Uint8Array[]): Map<string, Uint8Array> {
  return new Map(blocks.map((b) => [hashOf(b), b]));
}

describe('block DAG', () => {
  it('round-trips leaves and nodes, children in order', () => {
    const a = encodeLeaf(bytes('a'));
    const b = encodeLeaf(bytes('b'));
    const node = encodeNode([hashOf(b), hashOf(a)], bytes('payload'));
    expect(decodeBlock(a)).toEqual({ children: [], leafChildren: false, payload: bytes('a') });
    const decoded = decodeBlock(node);
    expect(decoded.children).toEqual([hashOf(b), hashOf(a)]);
    expect(new TextDecoder().decode(decoded.payload)).toBe('payload');
  });

  it('reports a block in neither shape as damaged, naming it', () => {
    expect(() => decodeBlock(new Uint8Array([7]), 'block x')).toThrow(/block x is damaged: unknown block tag 7/);
    const node = encodeNode([hashOf(bytes('z'))], bytes(''));
    expect(() => decodeBlock(node.subarray(0, 20), 'block y')).toThrow(StoreError);
  });

  it('walks every reachable block once, and skips known subtrees', async () => {
    const leaf = encodeLeaf(bytes('shared'));
    const left = encodeNode([hashOf(leaf)], bytes('l'));
    const right = encodeNode([hashOf(leaf)], bytes('r'));
    const root = encodeNode([hashOf(left), hashOf(right)], bytes('root'));
    const lib = library([leaf, left, right, root]);
    const source = async (h: string): Promise<Uint8Array | undefined> => lib.get(h);
    const all = await walkBlocks(source, [hashOf(root)]);
    expect(all).toEqual(new Set([hashOf(root), hashOf(left), hashOf(right), hashOf(leaf)]));
    const pruned = await walkBlocks(source, [hashOf(root)], { skip: (h) => h === hashOf(left) });
    expect(pruned.has(hashOf(left))).toBe(false);
    expect(pruned.has(hashOf(leaf))).toBe(true);
  });

  it('names a missing block and who named it', async () => {
    const missing = encodeLeaf(bytes('gone'));
    const root = encodeNode([hashOf(missing)], bytes(''));
    const lib = library([root]);
    await expect(walkBlocks(async (h) => lib.get(h), [hashOf(root)])).rejects.toThrow(`block ${hashOf(missing)} is missing (named by block ${hashOf(root)})`);
  });

  it('stops at its bound', async () => {
    const leaves = [1, 2, 3].map((i) => encodeLeaf(bytes(String(i))));
    const root = encodeNode(leaves.map(hashOf), bytes(''));
    const lib = library([...leaves, root]);
    await expect(walkBlocks(async (h) => lib.get(h), [hashOf(root)], { visitsMax: 2 })).rejects.toThrow(/bound of 2/);
  });
});

describe('nodes of leaves', () => {
  it('lets a walk count leaves without reading them', async () => {
    const leaves = ['x', 'y'].map((t) => encodeLeaf(bytes(t)));
    const bucket = encodeNode(leaves.map(hashOf), bytes(''), { leafChildren: true });
    expect(decodeBlock(bucket).leafChildren).toBe(true);
    const lib = library([bucket]);
    const reached = await walkBlocks(async (h) => lib.get(h), [hashOf(bucket)], { readLeaves: false });
    expect(reached).toEqual(new Set([hashOf(bucket), ...leaves.map(hashOf)]));
    await expect(walkBlocks(async (h) => lib.get(h), [hashOf(bucket)])).rejects.toThrow(/is missing/);
  });
});

describe('a walk with known references', () => {
  it('does not read a block whose references it knows, and learns those it reads', async () => {
    const leaf = encodeLeaf(bytes('l'));
    const mid = encodeNode([hashOf(leaf)], bytes('m'));
    const root = encodeNode([hashOf(mid)], bytes('r'));
    const lib = library([leaf, mid, root]);
    const reads: string[] = [];
    const source = async (h: string): Promise<Uint8Array | undefined> => {
      reads.push(h);
      return lib.get(h);
    };
    const known = new Map<string, { children: string[]; leafChildren: boolean }>();
    const first = await walkBlocks(source, [hashOf(root)], { known });
    expect(reads).toHaveLength(3);
    expect([...known.keys()].sort()).toEqual([hashOf(root), hashOf(mid)].sort());
    reads.length = 0;
    const second = await walkBlocks(source, [hashOf(root)], { known });
    expect(second).toEqual(first);
    expect(reads).toEqual([hashOf(leaf)]);
  });
});

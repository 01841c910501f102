/**
 * bench/own-process.ts: a row measured in a child process of its own, the same one for all its
 * runs, its failures reported as the row's error.
 */
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inOwnProcess } from '../../bench/own-process.ts';

const FIXTURE = pathToFileURL(new URL('./fixtures/own-process-measures.ts', import.meta.url).pathname).href;

describe('a benchmark measured in its own process', () => {
  it('runs every run in one child process, not this one', async () => {
    const measure = inOwnProcess(FIXTURE, 'wherePid');
    const first = await measure();
    const second = await measure();
    expect(first.value).not.toBe(process.pid);
    expect(second.value).toBe(first.value);
    expect([first.baseline, second.baseline]).toEqual([1, 2]);
  });

  it("rejects with the measurement's own error, or a missing export's name", async () => {
    await expect(inOwnProcess(FIXTURE, 'fails')()).rejects.toThrow('the measurement broke');
    await expect(inOwnProcess(FIXTURE, 'nothing')()).rejects.toThrow("exports no function 'nothing'");
  });
});

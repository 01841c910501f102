/** bench/timed-command.ts: the time of a command, or an error naming it and what it said. */
import { describe, expect, it } from 'vitest';
import { commandMs } from '../../bench/timed-command.ts';

describe('commandMs', () => {
  it('times a command that succeeds', () => {
    expect(commandMs(['-e', '0'])).toBeGreaterThan(0);
  });

  it('refuses a command that fails, with its exit code and the first line of its stderr', () => {
    expect(() => commandMs(['-e', 'console.error("went wrong\\nsecond line"); process.exit(3)'])).toThrow(/exited 3: went wrong$/);
  });
});

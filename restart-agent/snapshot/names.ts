/**
 * Names of snapshots, instances and principals. Instance names become folder names and every
 * name appears in one-line messages and tables, so all three keep to a small alphabet: no
 * path separators, no spaces, nothing a shell would need to quote.
 */
import { userInfo } from 'node:os';
import { SnapshotError } from './errors.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

export function checkName(what: 'snapshot' | 'instance' | 'principal', name: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SnapshotError('bad_name', `${what} name '${String(name)}' is not valid: use 1..128 letters, digits and . _ @ + - (starting with a letter or digit)`);
  }
  return name;
}

/**
 * Who is acting: the name given (--principal), else CAPSIM_PRINCIPAL, else the OS user. A
 * container without a passwd entry makes userInfo() throw; USER, then 'nobody', stand in.
 */
export function actingPrincipal(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = given ?? (env.CAPSIM_PRINCIPAL !== undefined && env.CAPSIM_PRINCIPAL !== '' ? env.CAPSIM_PRINCIPAL : osUser(env));
  return checkName('principal', chosen);
}

function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'nobody';
  }
}

/**
 * Where a token's secret comes from, and how it is kept: only its sha256 is stored (in the
 * kernel's table and the trusted database), and a presented secret is compared by hash in
 * constant time, so that how long a refusal takes says nothing about how close a guess was.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Rng } from '../rng.ts';
import { SECRET_BYTES } from './token.ts';

/** Gives the secret for the token with this id: SECRET_BYTES bytes. Injected into the kernel. */
export type SecretSource = (tokenId: number) => Uint8Array;

/**
 * The simulation's source: 128 bits drawn from the run's seeded generator, hashed together with
 * the token's never-reused id, so that a restart (which seeds the generator afresh) cannot hand
 * out a secret a token of an earlier life had. As secret as the seed is: a real deployment
 * injects a source of true randomness instead.
 */
export function seededSecrets(rng: Rng): SecretSource {
  return (tokenId) => {
    const h = createHash('sha256');
    h.update(`capsim-sturdy:${tokenId}:`);
    for (let i = 0; i < SECRET_BYTES / 4; i++) h.update(String(rng.nextU32()) + ':');
    return Uint8Array.from(h.digest().subarray(0, SECRET_BYTES));
  };
}

export function hashSecret(secret: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(secret).digest());
}

/** Whether `secret` hashes to `hash`, in time independent of where they differ. */
export function secretMatches(hash: Uint8Array, secret: Uint8Array): boolean {
  const presented = hashSecret(secret);
  return presented.length === hash.length && timingSafeEqual(presented, hash);
}

/** The hash of no secret: compared against when a token names no record, so that path costs the same. */
export const NO_HASH: Uint8Array = new Uint8Array(32);

/** Variants of the example systems sized for exhaustive power-loss runs. */
import type { SystemSpec } from '../../../kernel/index.ts';
import { EXAMPLES } from '../../../examples/index.ts';

export const counter = EXAMPLES['counter'] as SystemSpec;
export const pingPong = EXAMPLES['ping-pong'] as SystemSpec;

/** The bank example, firing its teller after `fireAt` deposits instead of 200, so a short run spans the revocation. */
export function bankFiringAt(fireAt: number): SystemSpec {
  const bank = EXAMPLES['bank'] as SystemSpec;
  // Without the customer: its calls would take cranks, and the firing would not come at a crank these tests can name.
  const { clients: _customer, reflects: _reflects, ...withoutClients } = bank;
  return {
    ...withoutClients,
    input: (i) => {
      if (i >= 400) return null;
      if (i === fireAt) return { to: 'bank-admin', payload: 'fire teller' };
      return { to: 'teller-inbox', payload: 'deposit' };
    },
  };
}

/**
 * The two-process system the operator-revoke and revoke-source tests drive: an owner with a
 * service endpoint, and a holder that holds a capability to it and to a gatekeeper and keeps its
 * token in a storage object, told what to do by inputs.
 */
import type { PlainData, Program, SystemSpec } from '../../../kernel/index.ts';

const owner: Program<null> = { init: () => null, receive: () => null };

export function holderSystem<C extends PlainData>(o: { name: string; description: string; holder: Program<never>; svcRights: string; commands: readonly C[] }): SystemSpec {
  return {
    name: o.name,
    description: o.description,
    programs: { holder: o.holder as Program<unknown>, owner },
    processes: [
      { name: 'owner', program: 'owner' },
      { name: 'holder', program: 'holder' },
    ],
    gatekeepers: ['gate'],
    endpoints: [
      { name: 'svc', owner: 'owner' },
      { name: 'holder-in', owner: 'holder' },
    ],
    storage: [{ name: 'book', owner: 'holder', data: { token: null } }],
    caps: [
      { holder: 'holder', name: 'svc', target: 'svc', rights: o.svcRights },
      { holder: 'holder', name: 'gate', target: 'gate', rights: 'r' },
    ],
    input: (i) => (o.commands[i] === undefined ? null : { to: 'holder-in', payload: o.commands[i] as C }),
  };
}

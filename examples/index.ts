/** The built-in example systems, by name. */
import type { SystemSpec } from '../kernel/index.ts';
import { system as bank } from './bank.ts';
import { system as bootChain } from './boot-chain.ts';
import { system as counter } from './counter.ts';
import { system as fileServer } from './file-server.ts';
import { system as flood } from './flood.ts';
import { system as kv } from './kv.ts';
import { system as pingPong } from './ping-pong.ts';
import { system as sturdyClients } from './sturdy-clients.ts';
import { system as serviceGraph } from './service-graph.ts';
import { naive as transferNaive, system as transfer } from './transfer.ts';

export const EXAMPLES: Readonly<Record<string, SystemSpec>> = Object.freeze({
  'ping-pong': pingPong,
  counter,
  bank,
  'boot-chain': bootChain,
  'file-server': fileServer,
  flood,
  kv,
  transfer,
  'transfer-naive': transferNaive,
  'sturdy-clients': sturdyClients,
  'service-graph': serviceGraph,
});

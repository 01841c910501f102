/** The flags every SIGKILL campaign takes: --kills N --lanes N --max-delay-ms N (positive integers; exit 2 otherwise). */
import { parseArgs } from 'node:util';

export interface CampaignFlags {
  kills: number;
  lanes: number;
  maxDelayMs: number;
}

export function campaignFlags(defaults: CampaignFlags): CampaignFlags {
  const { values } = parseArgs({
    options: { kills: { type: 'string', default: String(defaults.kills) }, lanes: { type: 'string', default: String(defaults.lanes) }, 'max-delay-ms': { type: 'string', default: String(defaults.maxDelayMs) } },
  });
  const flags = { kills: Number(values.kills), lanes: Number(values.lanes), maxDelayMs: Number(values['max-delay-ms']) };
  if (![flags.kills, flags.lanes, flags.maxDelayMs].every((n) => Number.isSafeInteger(n) && n > 0)) {
    console.error('--kills, --lanes and --max-delay-ms take positive integers');
    process.exit(2);
  }
  return flags;
}

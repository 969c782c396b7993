import type { BotControl } from './bot-control.js';
import { nextRound } from './next-round.js';

/** Reroll: the same description again; the new round draws with a new sample seed. */
export const rerollControl: BotControl = {
  action: 'reroll',
  handle: (ctx, asker, id) => nextRound(ctx, asker, id, {}),
};

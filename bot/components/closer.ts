import type { BotControl } from './bot-control.js';
import { nextRound } from './next-round.js';

/** Closer to…: the hits picked pull the next round towards them (Rocchio), same description. */
export const closerControl: BotControl = {
  action: 'closer',
  handle: (ctx, asker, id, input) => nextRound(ctx, asker, id, { closerTo: input.values }),
};

import type { BotControl } from './bot-control.js';
import { nextRound } from './next-round.js';
import { DESCRIPTION_INPUT } from './refine.js';

/** The Refine modal, submitted: the next round with the new description. */
export const refinedControl: BotControl = {
  action: 'refined',
  handle: (ctx, asker, id, input) => nextRound(ctx, asker, id, { query: input.fields[DESCRIPTION_INPUT] ?? '' }),
};

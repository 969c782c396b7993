import type { BotControl } from './bot-control.js';
import { nextRound } from './next-round.js';

/** Not these: the hits picked are never shown again and push the next round away. */
export const notTheseControl: BotControl = {
  action: 'not',
  handle: (ctx, asker, id, input) => nextRound(ctx, asker, id, { notThese: input.values }),
};

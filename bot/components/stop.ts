import { notice } from '../views/message-payload.js';
import type { BotControl } from './bot-control.js';

/** Stop: ends the search (its engine session is deleted; /history still lists it). */
export const stopControl: BotControl = {
  action: 'stop',
  async handle(ctx, asker, id) {
    await asker.defer('update');
    await ctx.search.stop(id.ref, asker.member, id.round);
    await asker.show(notice('Search stopped. Start a new one with /search whenever you like.'));
  },
};

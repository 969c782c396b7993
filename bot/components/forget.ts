import { BotRefusal } from '../bot-error.js';
import { notice } from '../views/message-payload.js';
import type { BotControl } from './bot-control.js';

/**
 * The /forget-me confirmation: removes every image the member posted from the guild's archive,
 * and keeps them from being indexed again (their id stays on the guild's list for that).
 */
export const forgetControl: BotControl = {
  action: 'forget',
  async handle(ctx, asker, id) {
    const { guildId, userId } = asker.member;
    if (id.ref !== userId) throw new BotRefusal('Only the member who asked to be forgotten can confirm it.');
    await asker.defer('update');
    await ctx.guilds.update(guildId, (g) => ({ ...g, forgottenAuthors: [...new Set([...(g.forgottenAuthors ?? []), userId])] }));
    const removed = await ctx.indexing.removeAuthor(guildId, userId);
    await asker.show(notice(`Removed ${removed} image${removed === 1 ? '' : 's'} you posted from this server's archive. Mirage will not index your images here again.`));
  },
};

import { channelMention } from 'discord.js';
import { BotRefusal } from '../bot-error.js';
import { sharedView } from '../views/found-view.js';
import { sourceOf } from '../views/hit-lines.js';
import type { BotControl } from './bot-control.js';
import { foundImage } from './found.js';

/**
 * Share: posts the found image for everyone in this channel, with a jump link to the original.
 * Only when that exposes nothing: the original's channel is one every member may view (or this
 * very channel), and an image from an NSFW channel is shared only into an NSFW channel.
 */
export const shareControl: BotControl = {
  action: 'share',
  async handle(ctx, asker, id) {
    await asker.defer('update');
    const { member } = asker;
    const search = await ctx.search.foundSearch(id.ref, member);
    const source = sourceOf(search.found.attributes);
    if (source && source.channelId !== member.channelId && !member.everyoneCanView(source.channelId)) {
      throw new BotRefusal(`This image comes from ${channelMention(source.channelId)}, which not everyone here can see, so Mirage will not post it in this channel.`);
    }
    if (source && member.isNsfw(source.channelId) && !member.channelNsfw) {
      throw new BotRefusal('This image comes from an age-restricted channel; it can only be shared into an age-restricted channel.');
    }
    await asker.post(sharedView(member.userId, await foundImage(ctx, asker, search.found, search.archive), asker.attachmentLimit));
  },
};

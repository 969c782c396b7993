import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { askerFrom, type Asker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import { forgetView } from '../views/forget-view.js';
import type { BotCommand } from './bot-command.js';

/**
 * /forget-me: deletes the member's searches at once; removing the images they posted waits for
 * the confirmation button (components/forget.ts), since it cannot be undone.
 */
export async function forgetMe(ctx: BotContext, asker: Asker): Promise<void> {
  await asker.defer('reply');
  const { guildId, userId } = asker.member;
  const searches = await ctx.search.forgetMember(guildId, userId);
  const images = await ctx.indexing.countByAuthor(guildId, userId);
  await asker.show(forgetView(userId, searches, images));
}

export const forgetMeCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('forget-me')
    .setDescription('Delete your searches here, and optionally every image you posted from Mirage')
    .setContexts(InteractionContextType.Guild),
  async execute(ctx, interaction) {
    await forgetMe(ctx, askerFrom(interaction));
  },
};

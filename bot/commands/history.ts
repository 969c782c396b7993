import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { askerFrom, type Asker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import { historyView } from '../views/history-view.js';
import type { BotCommand } from './bot-command.js';

/** Searches shown by /history at most. */
const SHOWN = 10;

/** /history: the member's recent searches here, found or not. */
export async function history(ctx: BotContext, asker: Asker): Promise<void> {
  await asker.defer('reply');
  const searches = await ctx.search.history(asker.member.guildId, asker.member.userId);
  await asker.show(historyView(searches.slice(0, SHOWN)));
}

export const historyCommand: BotCommand = {
  data: new SlashCommandBuilder().setName('history').setDescription('Your recent searches in this server').setContexts(InteractionContextType.Guild),
  async execute(ctx, interaction) {
    await history(ctx, askerFrom(interaction));
  },
};

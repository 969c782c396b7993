import { Events, type Client } from 'discord.js';
import type { BotContext } from '../bot-context.js';

/**
 * Channels and guilds going away: a deleted channel's images leave the archive; when the bot
 * leaves a guild (kicked, or the guild deleted) every image and all state of that guild go. A
 * guild that is only unavailable (a Discord outage) keeps everything.
 */
export function onGuilds(client: Client, ctx: BotContext): void {
  const safely = (what: string, work: () => Promise<unknown>) =>
    void work().catch((e: unknown) => ctx.log.warn({ error: e instanceof Error ? e.message : String(e) }, `${what} failed`));

  client.on(Events.ChannelDelete, (channel) => {
    if (channel.isDMBased()) return;
    const { guildId, id } = channel;
    safely('removing a deleted channel', async () => {
      await ctx.guilds.update(guildId, (g) => {
        const { [id]: _dropped, ...backfills } = g.backfills;
        return { ...g, indexedChannels: g.indexedChannels.filter((c) => c !== id), backfills };
      });
      await ctx.indexing.removeChannel(guildId, id);
    });
  });

  client.on(Events.GuildUnavailable, (guild) => ctx.log.info({ guild: guild.id }, 'guild unavailable (outage): keeping its archive'));

  // discord.js emits this only when the bot left (an outage is GuildUnavailable above).
  client.on(Events.GuildDelete, (guild) => {
    safely('forgetting a guild the bot left', async () => {
      const removed = await ctx.indexing.removeGuild(guild.id);
      await ctx.search.forgetGuild(guild.id);
      ctx.log.info({ guild: guild.id, images: removed }, 'left a guild: removed its images and state');
    });
  });
}

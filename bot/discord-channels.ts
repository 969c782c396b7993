import { DiscordAPIError, RESTJSONErrorCodes, type Client } from 'discord.js';
import { postedMessage } from './posted-message.js';
import type { ChannelReader, MessageState } from './services/channel-reader.js';
import type { PostedMessage } from './services/indexing-service.js';

const GONE: ReadonlySet<number> = new Set([RESTJSONErrorCodes.UnknownMessage, RESTJSONErrorCodes.UnknownChannel]);

/** Channel history and message checks through the bot's discord.js client. */
export function discordChannels(client: Client): ChannelReader {
  const textChannel = (guildId: string, channelId: string) => {
    const channel = client.guilds.cache.get(guildId)?.channels.cache.get(channelId);
    return channel?.isTextBased() ? channel : undefined;
  };
  return {
    async page(guildId, channelId, limit, before): Promise<PostedMessage[]> {
      const channel = textChannel(guildId, channelId);
      if (!channel) throw new Error(`Channel ${channelId} is not a text channel Mirage can read.`);
      const messages = await channel.messages.fetch({ limit, ...(before ? { before } : {}), cache: false });
      return [...messages.values()].map(postedMessage).filter((m): m is PostedMessage => m !== undefined);
    },
    async exists(guildId, channelId, messageId): Promise<MessageState> {
      const channel = textChannel(guildId, channelId);
      if (!channel) return client.guilds.cache.has(guildId) ? 'gone' : 'unknown';
      try {
        await channel.messages.fetch({ message: messageId, force: true, cache: false });
        return 'present';
      } catch (e) {
        return e instanceof DiscordAPIError && typeof e.code === 'number' && GONE.has(e.code) ? 'gone' : 'unknown';
      }
    },
  };
}

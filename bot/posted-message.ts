import type { Message, PartialMessage } from 'discord.js';
import type { PostedMessage } from './services/indexing-service.js';

/** A discord.js message as indexing sees it; undefined outside guilds. */
export function postedMessage(message: Message | PartialMessage): PostedMessage | undefined {
  if (!message.guildId || message.partial) return undefined;
  const channel = message.channel;
  return {
    guildId: message.guildId,
    channelId: message.channelId,
    messageId: message.id,
    authorId: message.author.id,
    authorIsBot: message.author.bot,
    at: message.createdAt,
    channelNsfw: 'nsfw' in channel && channel.nsfw === true,
    attachments: [...message.attachments.values()].map((a) => ({
      id: a.id,
      url: a.url,
      filename: a.name,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      size: a.size,
      spoiler: a.spoiler,
    })),
  };
}

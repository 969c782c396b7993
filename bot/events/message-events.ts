import { Events, type Client } from 'discord.js';
import type { BotContext } from '../bot-context.js';
import { postedMessage } from '../posted-message.js';

/**
 * Messages in indexed channels: posted ones are indexed, edited ones lose the attachments the
 * edit removed, deleted ones (one by one or in bulk, cached or not) leave the archive.
 * Indexing failures are logged and shown by /mirage-admin status; they never stop the bot.
 */
export function onMessages(client: Client, ctx: BotContext): void {
  const safely = (what: string, work: () => Promise<unknown>) =>
    void work().catch((e: unknown) => ctx.log.warn({ error: e instanceof Error ? e.message : String(e) }, `${what} failed`));

  client.on(Events.MessageCreate, (message) => {
    const posted = postedMessage(message);
    if (posted && ctx.indexingStatus.enabled && posted.attachments.length > 0) safely('indexing a message', () => ctx.indexing.indexMessage(posted));
  });

  client.on(Events.MessageUpdate, (_before, after) => {
    if (!after.guildId) return;
    safely('updating an edited message', async () => {
      const posted = postedMessage(after.partial ? await after.fetch() : after);
      if (posted && ctx.indexingStatus.enabled) await ctx.indexing.updateMessage(posted);
    });
  });

  client.on(Events.MessageDelete, (message) => {
    const guildId = message.guildId;
    if (guildId) safely('removing a deleted message', () => ctx.indexing.removeMessages(guildId, [message.id]));
  });

  client.on(Events.MessageBulkDelete, (messages, channel) => {
    const guildId = channel.guildId;
    safely('removing deleted messages', () => ctx.indexing.removeMessages(guildId, [...messages.keys()]));
  });
}

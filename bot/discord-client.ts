import { ApplicationFlagsBitField, Client, GatewayIntentBits, Options, Partials, REST, Routes } from 'discord.js';
import type { BotSettings } from './bot-settings.js';

/** REST for the bot's token, at DISCORD_API_BASE when it is set. */
export function botRest(settings: Pick<BotSettings, 'token' | 'apiBase'>): REST {
  return new REST(settings.apiBase ? { api: settings.apiBase } : {}).setToken(settings.token);
}

/**
 * Whether the bot may read attachments: the privileged Message Content intent must be enabled
 * for the application (or turned off on purpose). Without it Mirage still serves searches.
 */
export async function messageContentAccess(settings: BotSettings): Promise<{ enabled: boolean; reason?: string }> {
  if (settings.messageContent === 'off') return { enabled: false, reason: 'the operator turned it off (MIRAGE_BOT_MESSAGE_CONTENT=off).' };
  const app = (await botRest(settings).get(Routes.currentApplication())) as { flags?: number };
  const flags = new ApplicationFlagsBitField(app.flags ?? 0);
  if (flags.any(['GatewayMessageContent', 'GatewayMessageContentLimited'])) return { enabled: true };
  return {
    enabled: false,
    reason:
      'the privileged Message Content intent is not enabled for this application, so Discord does not show the bot attachments. ' +
      'Enable it in the Developer Portal (Bot, Privileged Gateway Intents) and restart the bot.',
  };
}

/**
 * The bot's gateway client: guilds and guild messages, message contents when allowed, partial
 * messages and channels so that deletions of messages it never cached still arrive. It caches
 * no messages: Mirage keeps its own index of what it indexed.
 */
export function createDiscordClient(settings: BotSettings, readContent: boolean): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, ...(readContent ? [GatewayIntentBits.MessageContent] : [])],
    partials: [Partials.Message, Partials.Channel],
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    ...(settings.apiBase ? { rest: { api: settings.apiBase } } : {}),
  });
}

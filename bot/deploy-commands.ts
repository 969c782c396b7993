import { Routes } from 'discord.js';
import type { BotSettings } from './bot-settings.js';
import { COMMANDS } from './commands/index.js';
import { botRest } from './discord-client.js';

/**
 * Registers the slash commands: in one guild (appears at once, for development) or globally
 * (every guild the bot is in). Replaces whatever was registered before.
 */
export async function deployCommands(settings: Pick<BotSettings, 'token' | 'apiBase' | 'applicationId'>, guildId?: string): Promise<string[]> {
  const body = COMMANDS.map((c) => c.data.toJSON());
  const route = guildId ? Routes.applicationGuildCommands(settings.applicationId, guildId) : Routes.applicationCommands(settings.applicationId);
  const registered = (await botRest(settings).put(route, { body })) as { name: string }[];
  return registered.map((c) => c.name);
}

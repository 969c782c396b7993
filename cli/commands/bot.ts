import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { printLines } from '../output.js';

const SETTINGS_HELP = [
  '',
  'Settings come from the environment: DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_BASE (optional),',
  'MIRAGE_BOT_EMBEDDER, MIRAGE_BOT_PUBLIC_ARCHIVES, MIRAGE_BOT_SESSION_IDLE_HOURS, ... (see the README, "Discord").',
].join('\n');

export function registerBot(program: Command, ctx: CliContext): void {
  const bot = program.command('bot').description('The Discord bot: members search the images posted in their server');
  // Loaded on use, so that every other command (and --help) starts without discord.js.
  const settings = async () => (await import('../../bot/bot-settings.js')).loadBotSettings(ctx.env);
  bot
    .command('run', { isDefault: true })
    .description('Run the bot until stopped (SIGTERM or Ctrl-C shut it down gracefully)')
    .addHelpText('after', SETTINGS_HELP)
    .action(async () => {
      const { runBotProcess } = await import('../../bot/run-bot.js');
      await runBotProcess(ctx.config(), await settings());
    });
  bot
    .command('deploy-commands')
    .description('Register the slash commands: in one guild (instant, for development) or globally')
    .option('--guild <id>', 'register in this guild only')
    .addHelpText('after', SETTINGS_HELP)
    .action(async (options: { guild?: string }) => {
      const { deployCommands } = await import('../../bot/deploy-commands.js');
      const names = await deployCommands(await settings(), options.guild);
      printLines(ctx.io, `Registered ${names.map((n) => `/${n}`).join(', ')} ${options.guild ? `in guild ${options.guild}` : 'globally (may take up to an hour to appear)'}.`);
    });
}

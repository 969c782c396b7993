import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { LIMITS } from '../../core/session/requests.js';
import { STRATEGY_NAMES, type StrategyName } from '../../core/session/session.js';
import { askerFrom, choiceAskerFrom, type Asker, type ChoiceAsker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import { runRoundShown } from '../round-flow.js';
import { allowFilterFor, chooseArchive, guildArchiveName, searchableArchives } from '../services/access.js';
import { notice } from '../views/message-payload.js';
import type { BotCommand } from './bot-command.js';

const STRATEGY_TEXT: Readonly<Record<StrategyName, string>> = {
  generative: 'generative: shows what it pictured (default)',
  text: 'text: searches with your words only',
  hybrid: 'hybrid: pictures and words together',
  prediction: 'prediction: shows its best match',
  verbal: 'verbal: asks you a question',
};

export interface SearchOptions {
  readonly description: string;
  readonly strategy?: StrategyName;
  readonly archive?: string;
}

/** /search: starts a search in this guild's archive (or a public one) and shows its first round. */
export async function search(ctx: BotContext, asker: Asker, options: SearchOptions): Promise<void> {
  await asker.defer('reply');
  const { member } = asker;
  const archive = chooseArchive(member.guildId, options.archive, ctx.settings.publicArchives);
  const manifest = (await ctx.engine.listArchives()).find((m) => m.name === archive);
  if (!manifest || manifest.count === 0) {
    await asker.show(notice(emptyArchiveText(ctx, archive === guildArchiveName(member.guildId))));
    return;
  }
  const guild = await ctx.guilds.get(member.guildId);
  const allow = allowFilterFor(archive, member, guild.indexedChannels);
  await runRoundShown(ctx, asker, ({ onProgress }) =>
    ctx.search.start(member, { description: options.description, archive, strategy: options.strategy ?? 'generative' }, { onProgress, ...(allow ? { allow } : {}) }),
  );
}

function emptyArchiveText(ctx: BotContext, own: boolean): string {
  const publicHint =
    ctx.settings.publicArchives.length > 0 ? ` Meanwhile you can try a public archive: pick ${ctx.settings.publicArchives.map((a) => `\`${a}\``).join(', ')} in the archive option.` : '';
  return own
    ? `This server has no indexed images yet. An admin can choose channels with \`/mirage-admin channels add\` and index their history with \`/mirage-admin backfill\`.${publicHint}`
    : 'That archive holds no images yet.';
}

/** Archive choices: this guild's own and the public ones, as typed so far. */
export async function archiveChoices(ctx: BotContext, asker: ChoiceAsker): Promise<void> {
  const own = guildArchiveName(asker.guildId);
  const typed = asker.focused.toLowerCase();
  const choices = searchableArchives(asker.guildId, await ctx.engine.listArchives(), ctx.settings.publicArchives)
    .filter((m) => m.name.includes(typed) || (m.name === own && 'this server'.includes(typed)))
    .map((m) => ({ name: m.name === own ? `This server's images (${m.count})` : `${m.name} (${m.count} images)`, value: m.name }));
  await asker.respond(choices);
}

export const searchCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Find an image posted here by describing what you remember')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('description').setDescription('What the image shows, as you remember it').setRequired(true).setMaxLength(LIMITS.maxQueryChars))
    .addStringOption((o) =>
      o
        .setName('strategy')
        .setDescription('How Mirage shows you what it understood')
        .addChoices(...STRATEGY_NAMES.map((name) => ({ name: STRATEGY_TEXT[name], value: name }))),
    )
    .addStringOption((o) => o.setName('archive').setDescription("Where to search (default: this server's images)").setAutocomplete(true)),
  async execute(ctx, interaction) {
    const strategy = interaction.options.getString('strategy') as StrategyName | null;
    const archive = interaction.options.getString('archive');
    await search(ctx, askerFrom(interaction), {
      description: interaction.options.getString('description', true),
      ...(strategy ? { strategy } : {}),
      ...(archive ? { archive } : {}),
    });
  },
  async autocomplete(ctx, interaction) {
    await archiveChoices(ctx, choiceAskerFrom(interaction));
  },
};

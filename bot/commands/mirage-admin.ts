import { ChannelType, channelMention, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { askerFrom, type Asker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import { BotRefusal } from '../bot-error.js';
import { guildArchiveName } from '../services/access.js';
import { ThrottledReply } from '../services/throttled-reply.js';
import { notice, type V2Message } from '../views/message-payload.js';
import { backfillText, statusView } from '../views/status-view.js';
import type { BotCommand } from './bot-command.js';

export type AdminRequest =
  | { readonly action: 'add' | 'remove'; readonly channelId: string }
  | { readonly action: 'list' | 'status' }
  | { readonly action: 'backfill'; readonly channelId: string; readonly limit?: number };

/**
 * /mirage-admin: which channels Mirage indexes (opt-in, nothing by default), their history
 * (backfill) and the state of it all. Only for members who may manage the server.
 */
export async function admin(ctx: BotContext, asker: Asker, request: AdminRequest): Promise<void> {
  await asker.defer('reply');
  const { member } = asker;
  if (!member.canManageGuild) throw new BotRefusal('Only members who may manage this server can change what Mirage indexes.');
  const guildId = member.guildId;
  switch (request.action) {
    case 'add': {
      const guild = await ctx.guilds.update(guildId, (g) => ({ ...g, indexedChannels: [...new Set([...g.indexedChannels, request.channelId])] }));
      const warning = ctx.indexingStatus.enabled ? '' : `\nIndexing is off, so nothing will be added yet: ${ctx.indexingStatus.reason ?? ''}`;
      await asker.show(
        notice(
          `Mirage now indexes ${channelMention(request.channelId)}: images posted there from now on become searchable (${guild.indexedChannels.length} channel${guild.indexedChannels.length === 1 ? '' : 's'} indexed). Index what was posted before with \`/mirage-admin backfill\`.${warning}`,
        ),
      );
      return;
    }
    case 'remove': {
      await ctx.guilds.update(guildId, (g) => {
        const { [request.channelId]: _dropped, ...backfills } = g.backfills;
        return { ...g, indexedChannels: g.indexedChannels.filter((c) => c !== request.channelId), backfills };
      });
      const removed = await ctx.indexing.removeChannel(guildId, request.channelId);
      await asker.show(notice(`Mirage no longer indexes ${channelMention(request.channelId)}, and removed its ${removed} image${removed === 1 ? '' : 's'} from this server's archive.`));
      return;
    }
    case 'list': {
      const { indexedChannels } = await ctx.guilds.get(guildId);
      await asker.show(notice(indexedChannels.length > 0 ? `Indexed channels: ${indexedChannels.map(channelMention).join(', ')}` : 'No channel is indexed yet.'));
      return;
    }
    case 'status': {
      const manifest = (await ctx.engine.listArchives()).find((m) => m.name === guildArchiveName(guildId));
      await asker.show(statusView({ images: manifest?.count ?? 0, guild: await ctx.guilds.get(guildId), indexing: ctx.indexingStatus }));
      return;
    }
    case 'backfill': {
      if (!ctx.indexingStatus.enabled) throw new BotRefusal(`Indexing is off: ${ctx.indexingStatus.reason ?? ''}`);
      if (!(await ctx.guilds.isIndexed(guildId, request.channelId))) {
        throw new BotRefusal(`${channelMention(request.channelId)} is not indexed; add it with \`/mirage-admin channels add\` first.`);
      }
      const limit = Math.min(request.limit ?? ctx.settings.backfillLimit, ctx.settings.backfillLimit);
      const reply = new ThrottledReply<V2Message>((m) => asker.show(m));
      const done = await ctx.backfills.start(guildId, request.channelId, limit, (b) => reply.progress(notice(`Backfilling… ${backfillText(request.channelId, b)}`)));
      await reply.final(notice(`Backfill finished. ${backfillText(request.channelId, done)}`));
      return;
    }
  }
}

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

export const adminCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('mirage-admin')
    .setDescription('Choose which channels Mirage indexes, index their history, see its status')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommandGroup((group) =>
      group
        .setName('channels')
        .setDescription('The channels whose images members can search')
        .addSubcommand((c) =>
          c.setName('add').setDescription('Index a channel from now on').addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS)),
        )
        .addSubcommand((c) =>
          c
            .setName('remove')
            .setDescription('Stop indexing a channel and remove its images')
            .addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS)),
        )
        .addSubcommand((c) => c.setName('list').setDescription('List the indexed channels')),
    )
    .addSubcommand((c) =>
      c
        .setName('backfill')
        .setDescription("Index an indexed channel's earlier messages (newest first)")
        .addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS))
        .addIntegerOption((o) => o.setName('limit').setDescription('Messages to read at most').setMinValue(1).setMaxValue(100_000)),
    )
    .addSubcommand((c) => c.setName('status').setDescription('What Mirage indexes here, and whether indexing works')),
  async execute(ctx, interaction) {
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand(true);
    const channel = () => interaction.options.getChannel('channel', true).id;
    const limit = interaction.options.getInteger('limit');
    const request: AdminRequest =
      group === 'channels'
        ? sub === 'list'
          ? { action: 'list' }
          : { action: sub === 'add' ? 'add' : 'remove', channelId: channel() }
        : sub === 'backfill'
          ? { action: 'backfill', channelId: channel(), ...(limit !== null ? { limit } : {}) }
          : { action: 'status' };
    await admin(ctx, askerFrom(interaction), request);
  },
};

import { channelMention, ContainerBuilder, time, TimestampStyles } from 'discord.js';
import type { Backfill, GuildRecord } from '../repositories/guild-repository.js';
import { DISCORD_LIMITS } from '../discord-limits.js';
import { linesWithin } from './hit-lines.js';
import { v2Message, type V2Message } from './message-payload.js';

export interface StatusInput {
  readonly images: number;
  readonly guild: GuildRecord;
  readonly indexing: { readonly enabled: boolean; readonly reason?: string };
}

export function backfillText(channelId: string, b: Backfill): string {
  const state = b.error ? `stopped: ${b.error}` : b.done ? 'done' : 'running';
  return `${channelMention(channelId)}: ${b.read} of at most ${b.limit} messages read, ${b.images} images added (${state})`;
}

/** /mirage-admin status: what is indexed, and whether indexing works. */
export function statusView(input: StatusInput): V2Message {
  const { guild, indexing } = input;
  const lines = [
    '### Mirage in this server',
    `**Indexing:** ${indexing.enabled ? (guild.indexingError ? `on, but the last attempt failed: ${guild.indexingError}` : 'on') : `off — ${indexing.reason ?? 'unknown reason'}`}`,
    `**Images searchable:** ${input.images}`,
    `**Indexed channels:** ${guild.indexedChannels.length > 0 ? guild.indexedChannels.map(channelMention).join(', ') : 'none yet (use /mirage-admin channels add)'}`,
    `**Last indexed:** ${guild.lastIndexedAt ? time(new Date(guild.lastIndexedAt), TimestampStyles.RelativeTime) : 'never'}`,
    ...Object.entries(guild.backfills).map(([channel, b]) => `**Backfill** ${backfillText(channel, b)}`),
  ];
  return v2Message([new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(linesWithin(lines, DISCORD_LIMITS.v2TextChars)))]);
}

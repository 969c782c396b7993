import { PermissionFlagsBits, type Guild, type GuildMember } from 'discord.js';

/**
 * The member an interaction comes from, as Mirage's handlers need them: where they are and what
 * they may see now. Built from discord.js objects for every interaction (permissions can change
 * between two clicks), and easy to fake in handler tests.
 */
export interface MemberView {
  readonly guildId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly channelNsfw: boolean;
  canView(channelId: string): boolean;
  /** Whether every member of the guild may view the channel (so sharing its images exposes nothing). */
  everyoneCanView(channelId: string): boolean;
  isNsfw(channelId: string): boolean;
  channelName(channelId: string): string | undefined;
  /** Manage Server: may change what Mirage indexes here. */
  readonly canManageGuild: boolean;
}

export function memberView(guild: Guild, member: GuildMember, channelId: string): MemberView {
  const channel = (id: string) => guild.channels.cache.get(id);
  const nsfw = (id: string) => {
    const c = channel(id);
    return c !== undefined && 'nsfw' in c && c.nsfw === true;
  };
  return {
    guildId: guild.id,
    userId: member.id,
    channelId,
    channelNsfw: nsfw(channelId),
    canView: (id) => channel(id)?.permissionsFor(member).has(PermissionFlagsBits.ViewChannel) ?? false,
    everyoneCanView: (id) => channel(id)?.permissionsFor(guild.roles.everyone).has(PermissionFlagsBits.ViewChannel) ?? false,
    isNsfw: nsfw,
    channelName: (id) => channel(id)?.name,
    canManageGuild: member.permissions.has(PermissionFlagsBits.ManageGuild),
  };
}

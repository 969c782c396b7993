import type { AllowFilter } from '../../core/session/requests.js';
import type { ArchiveManifest } from '../../core/ports/archive-store.js';
import { BotRefusal } from '../bot-error.js';
import type { MemberView } from '../member-view.js';

/** Each guild's own archive; nothing else is ever written for it, and no other guild reads it. */
export const guildArchiveName = (guildId: string): string => `discord-${guildId}`;

/** The owner of a member's engine sessions: another member (or guild) can never use them. */
export const ownerOf = (guildId: string, userId: string): string => `discord:${guildId}:${userId}`;

/** The archives a guild may search: its own (once it exists) and the operator's public ones. */
export function searchableArchives(guildId: string, existing: readonly ArchiveManifest[], publicArchives: readonly string[]): ArchiveManifest[] {
  const own = guildArchiveName(guildId);
  return existing.filter((m) => m.name === own || publicArchives.includes(m.name));
}

/** The archive a search uses: the one asked for, which must be the guild's own or a public one. */
export function chooseArchive(guildId: string, asked: string | undefined, publicArchives: readonly string[]): string {
  const own = guildArchiveName(guildId);
  if (asked === undefined || asked === own) return own;
  if (publicArchives.includes(asked)) return asked;
  throw new BotRefusal(`Archive "${asked}" cannot be searched from this server. Pick one from the list.`);
}

/**
 * The images a member may see in their guild's archive right now: from indexed channels they
 * can view, and from NSFW channels only when the search runs in an NSFW channel. Public
 * archives are not filtered. Computed for every round, so a changed permission counts at once.
 */
export function allowFilterFor(archive: string, member: MemberView, indexedChannels: readonly string[]): AllowFilter | undefined {
  if (archive !== guildArchiveName(member.guildId)) return undefined;
  const channels = indexedChannels.filter((id) => member.canView(id) && (member.channelNsfw || !member.isNsfw(id)));
  return { channel: channels };
}

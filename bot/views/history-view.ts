import { ContainerBuilder, time, TimestampStyles } from 'discord.js';
import type { SearchRecord } from '../repositories/search-repository.js';
import { DISCORD_LIMITS } from '../discord-limits.js';
import { clip, linesWithin } from './hit-lines.js';
import { v2Message, type V2Message } from './message-payload.js';

const STATUS: Readonly<Record<SearchRecord['status'], string>> = {
  active: 'in progress',
  found: 'found',
  stopped: 'stopped',
  expired: 'expired',
};

/** A member's recent searches, found or not, newest first. */
export function historyView(searches: readonly SearchRecord[]): V2Message {
  const lines = searches.map(
    (s, i) =>
      `${i + 1}. **${STATUS[s.status]}** · ${s.rounds} round${s.rounds === 1 ? '' : 's'} · ${time(new Date(s.lastUsedAt), TimestampStyles.RelativeTime)}\n> ${clip(s.lastQuery.replace(/\s+/g, ' '), 150)}`,
  );
  const text = lines.length > 0 ? linesWithin(['### Your recent searches', ...lines], DISCORD_LIMITS.v2TextChars) : 'You have no searches here yet. Start one with /search.';
  return v2Message([new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(text))]);
}

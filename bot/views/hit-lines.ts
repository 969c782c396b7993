import { channelMention, messageLink } from 'discord.js';
import type { Hit } from '../../core/session/session.js';

/** Where a hit came from, for a guild archive image: its channel and message. */
export interface HitSource {
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
}

export function sourceOf(attributes: Readonly<Record<string, string>> | undefined): HitSource | undefined {
  const guildId = attributes?.guild;
  const channelId = attributes?.channel;
  const messageId = attributes?.message;
  return guildId && channelId && messageId ? { guildId, channelId, messageId } : undefined;
}

export const jumpLink = (source: HitSource): string => messageLink(source.channelId, source.messageId, source.guildId);

/** "`#3` in #general · [original message](…)", or the caption for images that came from no message. */
export function hitLine(hit: Hit): string {
  const number = `\`#${hit.rank + 1}\``;
  const source = sourceOf(hit.attributes);
  if (source) return `${number} in ${channelMention(source.channelId)} · [original message](${jumpLink(source)})`;
  return `${number} ${clip(hit.caption ?? hit.id, 120)}`;
}

/** A select option label for a hit (at most 100 characters). */
export function hitLabel(hit: Hit, channelName: (id: string) => string | undefined): string {
  const source = sourceOf(hit.attributes);
  const where = source ? `#${channelName(source.channelId) ?? 'channel'}` : clip(hit.caption ?? hit.id, 80);
  return clip(`#${hit.rank + 1} · ${where}`, 100);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Lines joined, as many as fit in `max` characters; a last line says how many were left out. */
export function linesWithin(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1;
    const tail = rest > 0 ? `\n…and ${rest} more` : '';
    if (used + line.length + 1 + tail.length > max) return [...kept, `…and ${lines.length - i} more`].join('\n');
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}

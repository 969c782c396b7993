import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ContainerBuilder, type MessageActionRowComponentBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { CONTROL_ACTIONS, decodeControlId, encodeControlId, newSearchRef } from '../../bot/custom-ids.js';
import { DISCORD_LIMITS, messageProblems } from '../../bot/discord-limits.js';
import { forgetView } from '../../bot/views/forget-view.js';
import { foundView, sharedView } from '../../bot/views/found-view.js';
import { historyView } from '../../bot/views/history-view.js';
import { v2Message } from '../../bot/views/message-payload.js';
import { progressText } from '../../bot/views/progress-view.js';
import { roundView } from '../../bot/views/round-view.js';
import { statusView } from '../../bot/views/status-view.js';
import type { Round } from '../../core/session/session.js';

const SNOWFLAKE = '123456789012345678901';
const long = (n: number) => 'x'.repeat(n);

function bigRound(hits: number): Round {
  return {
    index: 9998,
    query: long(1000),
    closerTo: [],
    notThese: [],
    hits: Array.from({ length: hits }, (_, i) => ({
      id: `d-${SNOWFLAKE}`,
      score: 0.5,
      rank: i,
      caption: long(300),
      attributes: { guild: SNOWFLAKE, channel: SNOWFLAKE, message: SNOWFLAKE },
    })),
    feedback: { kind: 'question', attribute: 'car.colour', text: long(500) },
    timings: { generate: 0, embed: 0, search: 0, total: 0 },
    queryVector: '',
    createdAt: new Date(0).toISOString(),
  };
}

const json = (message: { components: { toJSON(): unknown }[] }) => message.components.map((c) => c.toJSON() as never);

describe('message builders', () => {
  it('keep the largest round within Discord limits: 25 hits, 8 synthetic images, long text, the longest ids', () => {
    const file = (name: string) => ({ name, bytes: Buffer.alloc(DISCORD_LIMITS.defaultAttachmentBytes) });
    const view = roundView({
      ref: newSearchRef(),
      archive: `discord-${SNOWFLAKE}`,
      strategy: 'generative',
      round: bigRound(40),
      synthetic: Array.from({ length: 8 }, (_, i) => file(`synthetic-${i + 1}.png`)),
      sheet: file('hits.png'),
      attachmentLimit: DISCORD_LIMITS.defaultAttachmentBytes,
      channelName: () => long(200),
    });
    expect(messageProblems({ components: json(view), files: view.files.map(() => ({ bytes: DISCORD_LIMITS.defaultAttachmentBytes })) })).toEqual([]);
    expect(view.files).toHaveLength(9);
  });

  it('keep found, shared, history, status and forget views within the limits', () => {
    const found = { source: { guildId: SNOWFLAKE, channelId: SNOWFLAKE, messageId: SNOWFLAKE }, image: { name: 'SPOILER_found.jpg', bytes: Buffer.alloc(10) }, spoiler: true };
    const searches = Array.from({ length: 25 }, () => ({
      sessionId: 's', guildId: SNOWFLAKE, userId: SNOWFLAKE, channelId: SNOWFLAKE, archive: 'a', strategy: 'generative' as const,
      status: 'found' as const, lastQuery: long(1000), rounds: 50, createdAt: new Date(0).toISOString(), lastUsedAt: new Date(0).toISOString(),
    }));
    const guild = {
      indexedChannels: Array.from({ length: 500 }, () => SNOWFLAKE),
      backfills: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${i}`, { read: 10, limit: 100, images: 5, done: false, error: long(300), updatedAt: new Date(0).toISOString() }])),
      indexingError: long(500),
    };
    for (const view of [
      foundView(newSearchRef(), 9999, found, DISCORD_LIMITS.defaultAttachmentBytes),
      sharedView(SNOWFLAKE, found, DISCORD_LIMITS.defaultAttachmentBytes),
      historyView(searches),
      statusView({ images: 1_000_000, guild, indexing: { enabled: false, reason: long(500) } }),
      forgetView(SNOWFLAKE, 25, 10_000),
    ]) {
      expect(messageProblems({ components: json(view) })).toEqual([]);
    }
  });

  it('refuse, with the reason, a payload that would break a limit', () => {
    const row = () =>
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        ...Array.from({ length: 5 }, (_, i) => new ButtonBuilder().setCustomId(`b${i}`).setLabel('b').setStyle(ButtonStyle.Primary)),
      );
    const container = new ContainerBuilder().addTextDisplayComponents((t) => t.setContent('x'));
    expect(() => v2Message([container, row(), row(), row(), row(), row(), row()])).toThrow(/6 action rows \(limit 5\)/);
    expect(() => v2Message([container], Array.from({ length: 11 }, (_, i) => ({ name: `${i}.png`, bytes: Buffer.alloc(1) })))).toThrow(/11 attachments/);
    expect(() => v2Message([container], [{ name: 'big.png', bytes: Buffer.alloc(2000) }], 1000)).toThrow(/an attachment of 2000 bytes \(limit 1000\)/);
    expect(messageProblems({ components: [{ type: 1, components: [{ type: 2, custom_id: long(101) }] }] })).toEqual([expect.stringContaining('over 100 characters')]);
    expect(messageProblems({ components: [{ type: 1, components: [{ type: 3, custom_id: 's', options: Array.from({ length: 26 }, () => ({ label: 'x' })) }] }] })).toEqual([
      'a select with 26 options (limit 25)',
    ]);
    expect(messageProblems({ components: [{ type: 10, content: long(4001) }] })).toEqual(['4001 characters of text displays (limit 4000)']);
  });

  it('say where a round is, with the queue position when there is one', () => {
    expect(progressText({ stage: 'queued', position: 3 })).toBe('Queued: 2 rounds ahead of yours…');
    expect(progressText({ stage: 'queued', position: 1 })).toBe('Queued: yours is next…');
    expect(progressText({ stage: 'generate', step: 2, total: 4 })).toBe('Drawing what you described (step 2 of 4)…');
    expect(progressText({ stage: 'search' })).toBe('Searching the archive…');
  });
});

describe('control ids', () => {
  it('round-trip every action within 100 characters, and reject what Mirage did not make', () => {
    for (const action of CONTROL_ACTIONS) {
      const id = { action, ref: newSearchRef(), round: 9999 };
      const text = encodeControlId(id);
      expect(text.length).toBeLessThanOrEqual(DISCORD_LIMITS.customIdChars);
      expect(decodeControlId(text)).toEqual(id);
    }
    for (const text of ['m:delete:abc:1', 'other:refine:abc:1', 'm:refine:abc', 'm:refine:a/b:1', `m:refine:${long(41)}:1`]) expect(decodeControlId(text)).toBeUndefined();
  });
});

import type { Logger } from 'pino';
import type { GuildRepository } from '../repositories/guild-repository.js';
import type { MessageIndex } from '../repositories/message-index.js';
import type { ChannelReader } from './channel-reader.js';
import type { IndexingService } from './indexing-service.js';

export interface ReconcileDependencies {
  readonly guilds: GuildRepository;
  readonly messages: MessageIndex;
  readonly indexing: IndexingService;
  readonly reader: ChannelReader;
  /** Messages checked per guild and sweep. */
  readonly batch: number;
  readonly log: Logger;
}

/**
 * The safety net for deletions the bot never heard of (it was offline, or the event was lost):
 * asks Discord whether indexed messages still exist and removes the images of those that do
 * not. Only a clear "Unknown Message" (or channel) counts as gone; any other failure leaves the
 * images and ends this guild's sweep. Each sweep continues after the last message checked.
 */
export class ReconcileService {
  private readonly cursors = new Map<string, string>();

  constructor(private readonly deps: ReconcileDependencies) {}

  async sweep(): Promise<{ checked: number; removed: number }> {
    let checked = 0;
    let removed = 0;
    for (const guildId of await this.deps.guilds.guildIds()) {
      const result = await this.sweepGuild(guildId);
      checked += result.checked;
      removed += result.removed;
    }
    return { checked, removed };
  }

  private async sweepGuild(guildId: string): Promise<{ checked: number; removed: number }> {
    const all = await this.deps.messages.list(guildId);
    const after = this.cursors.get(guildId);
    const start = after === undefined ? 0 : Math.max(0, all.findIndex((m) => BigInt(m.id) > BigInt(after)));
    const batch = [...all.slice(start), ...all.slice(0, start)].slice(0, this.deps.batch);
    const gone: string[] = [];
    let checked = 0;
    for (const { id, message } of batch) {
      const state = await this.deps.reader.exists(guildId, message.channel, id);
      if (state === 'unknown') break;
      checked++;
      this.cursors.set(guildId, id);
      if (state === 'gone') gone.push(id);
    }
    const removed = gone.length > 0 ? await this.deps.indexing.removeMessages(guildId, gone) : 0;
    if (removed > 0) this.deps.log.info({ guild: guildId, messages: gone.length, images: removed }, 'removed images of deleted messages');
    return { checked, removed };
  }
}

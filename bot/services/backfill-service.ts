import type { Logger } from 'pino';
import type { Backfill, GuildRepository } from '../repositories/guild-repository.js';
import type { ChannelReader } from './channel-reader.js';
import type { IndexingService } from './indexing-service.js';

const PAGE = 100;

export interface BackfillDependencies {
  readonly guilds: GuildRepository;
  readonly indexing: IndexingService;
  readonly reader: ChannelReader;
  readonly log: Logger;
}

/**
 * Indexes the history of a channel, newest first, up to a bounded number of messages. The
 * cursor (the oldest message read) is saved after every page, so a backfill interrupted by a
 * restart continues where it stopped; one channel is backfilled by one run at a time.
 */
export class BackfillService {
  private readonly running = new Map<string, Promise<Backfill>>();

  constructor(private readonly deps: BackfillDependencies) {}

  /** Starts (or restarts from scratch) a backfill; `onProgress` sees it after every page. */
  start(guildId: string, channelId: string, limit: number, onProgress?: (b: Backfill) => void): Promise<Backfill> {
    const key = `${guildId}.${channelId}`;
    const current = this.running.get(key);
    if (current) return current;
    const run = this.deps.guilds
      .update(guildId, (g) => ({ ...g, backfills: { ...g.backfills, [channelId]: { read: 0, limit, images: 0, done: false, updatedAt: new Date().toISOString() } } }))
      .then(() => this.run(guildId, channelId, onProgress));
    return this.track(key, run);
  }

  /** Continues every unfinished backfill, after a restart. */
  async resumeAll(): Promise<void> {
    for (const guildId of await this.deps.guilds.guildIds()) {
      const guild = await this.deps.guilds.get(guildId);
      for (const [channelId, backfill] of Object.entries(guild.backfills)) {
        const key = `${guildId}.${channelId}`;
        if (backfill.done || this.running.has(key) || !guild.indexedChannels.includes(channelId)) continue;
        this.deps.log.info({ guild: guildId, channel: channelId, read: backfill.read }, 'resuming a backfill');
        void this.track(key, this.run(guildId, channelId)).catch(() => undefined);
      }
    }
  }

  /** Waits for the backfills running now (on shutdown; each has saved its cursor by then). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private track(key: string, run: Promise<Backfill>): Promise<Backfill> {
    this.running.set(key, run);
    void run.finally(() => this.running.delete(key)).catch(() => undefined);
    return run;
  }

  private async run(guildId: string, channelId: string, onProgress?: (b: Backfill) => void): Promise<Backfill> {
    for (;;) {
      const state = (await this.deps.guilds.get(guildId)).backfills[channelId];
      if (!state) throw new Error(`No backfill of channel ${channelId} is recorded.`);
      if (state.done) return state;
      let next: Backfill;
      try {
        const page = await this.deps.reader.page(guildId, channelId, Math.min(PAGE, state.limit - state.read), state.before);
        let images = 0;
        for (const message of page) images += await this.deps.indexing.indexMessage(message);
        const oldest = page[page.length - 1];
        const read = state.read + page.length;
        next = {
          ...(oldest ? { before: oldest.messageId } : state.before ? { before: state.before } : {}),
          read,
          limit: state.limit,
          images: state.images + images,
          done: page.length === 0 || read >= state.limit,
          updatedAt: new Date().toISOString(),
        };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        this.deps.log.warn({ guild: guildId, channel: channelId, error }, 'backfill stopped');
        next = { ...state, error, done: true, updatedAt: new Date().toISOString() };
      }
      await this.deps.guilds.update(guildId, (g) => ({ ...g, backfills: { ...g.backfills, [channelId]: next } }));
      onProgress?.(next);
      if (next.done) return next;
    }
  }
}

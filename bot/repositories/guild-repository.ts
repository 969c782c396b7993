import { z } from 'zod';
import { KeyedLock } from '../../core/concurrency/keyed-lock.js';
import type { DocumentStore } from '../../core/ports/document-store.js';

const backfillSchema = z.object({
  /** Oldest message read so far; the next page starts before it. */
  before: z.string().optional(),
  read: z.number().int().min(0),
  limit: z.number().int().min(1),
  images: z.number().int().min(0),
  done: z.boolean(),
  error: z.string().optional(),
  updatedAt: z.string(),
});
export type Backfill = z.infer<typeof backfillSchema>;

const guildSchema = z.object({
  indexedChannels: z.array(z.string()),
  backfills: z.record(z.string(), backfillSchema),
  lastIndexedAt: z.string().optional(),
  /** Why the last ingestion failed, until one succeeds. */
  indexingError: z.string().optional(),
  /** Members who asked (/forget-me) that their images never be indexed again. */
  forgottenAuthors: z.array(z.string()).optional(),
});
export type GuildRecord = z.infer<typeof guildSchema>;

const EMPTY: GuildRecord = { indexedChannels: [], backfills: {} };

/** A guild's indexing settings and progress: which channels are indexed, backfill cursors. */
export class GuildRepository {
  /** Indexing, backfills and admin commands change one record; their updates must not overwrite each other. */
  private readonly updates = new KeyedLock();

  constructor(private readonly store: DocumentStore) {}

  async get(guildId: string): Promise<GuildRecord> {
    const stored = await this.store.get(guildId);
    return stored === undefined ? EMPTY : guildSchema.parse(stored);
  }

  update(guildId: string, change: (record: GuildRecord) => GuildRecord): Promise<GuildRecord> {
    return this.updates.run(guildId, async () => {
      const next = change(await this.get(guildId));
      await this.store.put(guildId, next);
      return next;
    });
  }

  async isIndexed(guildId: string, channelId: string): Promise<boolean> {
    return (await this.get(guildId)).indexedChannels.includes(channelId);
  }

  async guildIds(): Promise<string[]> {
    return this.store.keys();
  }

  delete(guildId: string): Promise<void> {
    return this.store.delete(guildId);
  }
}

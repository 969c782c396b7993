import { z } from 'zod';
import { STRATEGY_NAMES } from '../../core/session/session.js';
import type { DocumentStore } from '../../core/ports/document-store.js';

const searchSchema = z.object({
  sessionId: z.string(),
  guildId: z.string(),
  userId: z.string(),
  channelId: z.string(),
  archive: z.string(),
  strategy: z.enum(STRATEGY_NAMES),
  status: z.enum(['active', 'found', 'stopped', 'expired']),
  lastQuery: z.string(),
  rounds: z.number().int().min(0),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  found: z.object({ imageId: z.string(), attributes: z.record(z.string(), z.string()).optional(), caption: z.string().optional() }).optional(),
});
export type SearchRecord = z.infer<typeof searchSchema>;

const memberSchema = z.object({ searches: z.array(z.string()) });

/** The searches a member keeps in /history, most recent first. */
const HISTORY_LENGTH = 25;

/**
 * A member's searches by the opaque reference their buttons carry, and each member's list of
 * them for /history. The engine session itself is deleted when a search ends; what stays here
 * is what /history shows.
 */
export class SearchRepository {
  constructor(
    private readonly searches: DocumentStore,
    private readonly members: DocumentStore,
  ) {}

  async get(ref: string): Promise<SearchRecord | undefined> {
    const stored = await this.searches.get(ref);
    return stored === undefined ? undefined : searchSchema.parse(stored);
  }

  async put(ref: string, search: SearchRecord): Promise<void> {
    await this.searches.put(ref, search);
  }

  /** Records a new search and puts it first in its member's history (dropping the oldest). */
  async create(ref: string, search: SearchRecord): Promise<void> {
    await this.put(ref, search);
    const key = memberKey(search.guildId, search.userId);
    const refs = await this.refsOf(search.guildId, search.userId);
    const kept = [ref, ...refs].slice(0, HISTORY_LENGTH);
    await this.members.put(key, { searches: kept });
    await Promise.all(refs.filter((r) => !kept.includes(r)).map((r) => this.searches.delete(r)));
  }

  async refsOf(guildId: string, userId: string): Promise<string[]> {
    const stored = await this.members.get(memberKey(guildId, userId));
    return stored === undefined ? [] : memberSchema.parse(stored).searches;
  }

  async historyOf(guildId: string, userId: string): Promise<{ ref: string; search: SearchRecord }[]> {
    const out: { ref: string; search: SearchRecord }[] = [];
    for (const ref of await this.refsOf(guildId, userId)) {
      const search = await this.get(ref);
      if (search) out.push({ ref, search });
    }
    return out;
  }

  /** Forgets every search of a member, and the member's history. */
  async deleteMember(guildId: string, userId: string): Promise<SearchRecord[]> {
    const history = await this.historyOf(guildId, userId);
    await Promise.all(history.map(({ ref }) => this.searches.delete(ref)));
    await this.members.delete(memberKey(guildId, userId));
    return history.map((h) => h.search);
  }

  /** Every stored search, for the expiry sweep and for leaving a guild. */
  async all(): Promise<{ ref: string; search: SearchRecord }[]> {
    const out: { ref: string; search: SearchRecord }[] = [];
    for (const ref of await this.searches.keys()) {
      const search = await this.get(ref);
      if (search) out.push({ ref, search });
    }
    return out;
  }

  async delete(ref: string): Promise<void> {
    await this.searches.delete(ref);
  }

  async deleteMembersOf(guildId: string): Promise<void> {
    await Promise.all((await this.members.keys(`${guildId}.`)).map((k) => this.members.delete(k)));
  }
}

const memberKey = (guildId: string, userId: string) => `${guildId}.${userId}`;

import type { Logger } from 'pino';
import type { CallOptions, Engine } from '../../core/ports/engine.js';
import type { AllowFilter } from '../../core/session/requests.js';
import type { Hit, Round, StrategyName } from '../../core/session/session.js';
import { engineForOwner } from '../../core/turns/engine-for-owner.js';
import { runSearchTurn } from '../../core/turns/search-turn.js';
import { BotRefusal } from '../bot-error.js';
import { newSearchRef } from '../custom-ids.js';
import type { SearchRecord, SearchRepository } from '../repositories/search-repository.js';
import { ownerOf } from './access.js';
import type { RoundLimits } from './round-limits.js';
import type { RoundTracker } from './round-tracker.js';

/** The member a request comes from, and where. */
export interface Member {
  readonly guildId: string;
  readonly userId: string;
  readonly channelId: string;
}

/** A search after a round: its reference, its record and the round to show. */
export interface SearchStep {
  readonly ref: string;
  readonly search: SearchRecord;
  readonly round: Round;
}

export interface RoundOptions {
  readonly allow?: AllowFilter;
  readonly onProgress?: CallOptions['onProgress'];
}

/** Hits per round, and what the selects under a round can list. */
export const HITS_PER_ROUND = 10;

export interface SearchServiceDependencies {
  readonly engine: Engine;
  readonly searches: SearchRepository;
  readonly limits: RoundLimits;
  readonly rounds: RoundTracker;
  readonly idleMs: number;
  readonly log: Logger;
}

/**
 * A member's searches: starting one, each next round (refine, closer to, not these, reroll),
 * finding the image, stopping. Every step checks that the search is the member's, still active,
 * and not idle past its expiry, and that the control belongs to the search's latest round. The
 * engine session is deleted as soon as the search ends; its record stays for /history.
 */
export class SearchService {
  constructor(private readonly deps: SearchServiceDependencies) {}

  async start(member: Member, request: { description: string; archive: string; strategy: StrategyName }, options: RoundOptions): Promise<SearchStep> {
    const ref = newSearchRef();
    const turn = await this.limited(member, (signal) =>
      runSearchTurn(
        this.engineOf(member),
        {
          query: request.description,
          settings: { archive: request.archive, strategy: request.strategy, k: HITS_PER_ROUND },
          ...(options.allow ? { allow: options.allow } : {}),
        },
        { signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
      ),
    );
    const now = new Date().toISOString();
    const search: SearchRecord = {
      sessionId: turn.session.id,
      guildId: member.guildId,
      userId: member.userId,
      channelId: member.channelId,
      archive: request.archive,
      strategy: request.strategy,
      status: 'active',
      lastQuery: turn.round.query,
      rounds: 1,
      createdAt: now,
      lastUsedAt: now,
    };
    await this.deps.searches.create(ref, search);
    return { ref, search, round: turn.round };
  }

  /**
   * The member's active search behind a control, or a refusal that says why not. `round` is
   * the round the control was shown under; a control of an older round is refused.
   */
  async owned(ref: string, member: Pick<Member, 'guildId' | 'userId'>, round?: number): Promise<SearchRecord> {
    const search = await this.deps.searches.get(ref);
    if (!search || search.guildId !== member.guildId) throw new BotRefusal('This search no longer exists. Start a new one with /search.');
    if (search.userId !== member.userId) throw new BotRefusal('This search belongs to another member. Start your own with /search.');
    if (search.status !== 'active') throw new BotRefusal(`This search has ended (${search.status}). Start a new one with /search.`);
    if (Date.now() - Date.parse(search.lastUsedAt) > this.deps.idleMs) {
      await this.end(ref, search, 'expired');
      throw new BotRefusal('This search expired after going unused. Start a new one with /search.');
    }
    if (round !== undefined && round !== search.rounds - 1) throw new BotRefusal('These controls belong to an earlier round; use the ones under the latest round.');
    return search;
  }

  /** The next round of a search: a new description (refine), feedback on hits, or the same again (reroll). */
  async next(
    ref: string,
    member: Member,
    round: number,
    turn: { query?: string; closerTo?: readonly string[]; notThese?: readonly string[] },
    options: RoundOptions,
  ): Promise<SearchStep> {
    const search = await this.owned(ref, member, round);
    const result = await this.limited(member, (signal) =>
      runSearchTurn(
        this.engineOf(member),
        {
          query: turn.query ?? search.lastQuery,
          sessionId: search.sessionId,
          ...(turn.closerTo ? { closerTo: turn.closerTo } : {}),
          ...(turn.notThese ? { notThese: turn.notThese } : {}),
          ...(options.allow ? { allow: options.allow } : {}),
        },
        { signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
      ),
    );
    const updated: SearchRecord = { ...search, lastQuery: result.round.query, rounds: search.rounds + 1, lastUsedAt: new Date().toISOString() };
    await this.deps.searches.put(ref, updated);
    return { ref, search: updated, round: result.round };
  }

  /** The latest round of an active search, as it stands (to show it again after a failed round). */
  async latest(ref: string): Promise<SearchStep | undefined> {
    const search = await this.deps.searches.get(ref);
    if (!search || search.status !== 'active') return undefined;
    const session = await this.engineOf(search).getSession(search.sessionId);
    const round = session.rounds[session.rounds.length - 1];
    return round ? { ref, search, round } : undefined;
  }

  /** The member found the image: hit `number` (1-based) of the latest round. */
  async found(ref: string, member: Member, round: number, number: number): Promise<{ search: SearchRecord; hit: Hit }> {
    const search = await this.owned(ref, member, round);
    const engine = this.engineOf(member);
    const session = await engine.getSession(search.sessionId);
    const hit = session.rounds[session.rounds.length - 1]?.hits[number - 1];
    if (!hit) throw new BotRefusal(`There is no hit #${number} in this round.`);
    await engine.selectResult(search.sessionId, hit.id);
    const found: SearchRecord = {
      ...search,
      found: { imageId: hit.id, ...(hit.attributes ? { attributes: { ...hit.attributes } } : {}), ...(hit.caption ? { caption: hit.caption } : {}) },
    };
    return { search: await this.end(ref, found, 'found'), hit };
  }

  async stop(ref: string, member: Member, round: number): Promise<SearchRecord> {
    return this.end(ref, await this.owned(ref, member, round), 'stopped');
  }

  /** A found search, for Share: the member's own, and found. */
  async foundSearch(ref: string, member: Pick<Member, 'guildId' | 'userId'>): Promise<SearchRecord & { found: NonNullable<SearchRecord['found']> }> {
    const search = await this.deps.searches.get(ref);
    if (!search || search.guildId !== member.guildId) throw new BotRefusal('This search no longer exists.');
    if (search.userId !== member.userId) throw new BotRefusal('Only the member who found this image can share it.');
    if (search.status !== 'found' || !search.found) throw new BotRefusal('This search has not found an image.');
    return { ...search, found: search.found };
  }

  /** A member's searches, newest first, as /history lists them. */
  async history(guildId: string, userId: string): Promise<SearchRecord[]> {
    return (await this.deps.searches.historyOf(guildId, userId)).map((h) => h.search);
  }

  /** Ends searches unused for longer than the idle time; returns how many. */
  async expireIdle(now = Date.now()): Promise<number> {
    let expired = 0;
    for (const { ref, search } of await this.deps.searches.all()) {
      if (search.status === 'active' && now - Date.parse(search.lastUsedAt) > this.deps.idleMs) {
        await this.end(ref, search, 'expired');
        expired++;
      }
    }
    return expired;
  }

  /** Deletes every search of a member: their engine sessions and their history. */
  async forgetMember(guildId: string, userId: string): Promise<number> {
    const searches = await this.deps.searches.deleteMember(guildId, userId);
    await Promise.all(searches.map((s) => this.engineOf(s).deleteSession(s.sessionId)));
    return searches.length;
  }

  /** Deletes every search in a guild the bot left. */
  async forgetGuild(guildId: string): Promise<void> {
    for (const { ref, search } of await this.deps.searches.all()) {
      if (search.guildId !== guildId) continue;
      await this.engineOf(search).deleteSession(search.sessionId);
      await this.deps.searches.delete(ref);
    }
    await this.deps.searches.deleteMembersOf(guildId);
  }

  private async end(ref: string, search: SearchRecord, status: SearchRecord['status']): Promise<SearchRecord> {
    await this.engineOf(search).deleteSession(search.sessionId);
    const ended: SearchRecord = { ...search, status, lastUsedAt: new Date().toISOString() };
    await this.deps.searches.put(ref, ended);
    return ended;
  }

  /** The engine as a member sees it: their sessions only. */
  engineOf(member: Pick<Member, 'guildId' | 'userId'>): Engine {
    return engineForOwner(this.deps.engine, ownerOf(member.guildId, member.userId));
  }

  /** Runs engine work under the member's rate limits, tracked so that a shutdown can wait for it. */
  private async limited<T>(member: Member, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const release = await this.deps.limits.acquire(member.guildId, member.userId);
    try {
      return await this.deps.rounds.track(work);
    } finally {
      await release().catch((e: unknown) => this.deps.log.warn({ error: String(e) }, 'could not release a round slot'));
    }
  }
}

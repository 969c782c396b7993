import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { FrontEndState } from '../../core/runtime/create-front-end-state.js';
import { BotRefusal } from '../bot-error.js';

/** Longest a round may hold a member's one slot, should its release be lost (a crash). */
const IN_FLIGHT_SECONDS = 600;

export interface RoundLimitSettings {
  readonly memberRoundsPerMinute: number;
  readonly guildRoundsPerMinute: number;
}

/**
 * Who may start a round now: one round in flight per member, a number per member per minute, a
 * number per guild per minute. Counters live in the front end's state (memory, or Redis so
 * that several bot processes share them). A refusal says when to try again.
 */
export class RoundLimits {
  private readonly inFlight: RateLimiterAbstract;
  private readonly member: RateLimiterAbstract;
  private readonly guild: RateLimiterAbstract;

  constructor(state: Pick<FrontEndState, 'rateLimiter'>, settings: RoundLimitSettings) {
    this.inFlight = state.rateLimiter({ name: 'in-flight', points: 1, windowSeconds: IN_FLIGHT_SECONDS });
    this.member = state.rateLimiter({ name: 'member', points: settings.memberRoundsPerMinute, windowSeconds: 60 });
    this.guild = state.rateLimiter({ name: 'guild', points: settings.guildRoundsPerMinute, windowSeconds: 60 });
  }

  /** Takes a slot for one round, or throws a BotRefusal; call the returned release when it ends. */
  async acquire(guildId: string, userId: string): Promise<() => Promise<void>> {
    const memberKey = `${guildId}.${userId}`;
    await take(this.inFlight, memberKey, () => 'You already have a round running; wait for it to finish.');
    try {
      await take(this.member, memberKey, (s) => `You have run a lot of rounds in the last minute; try again in ${s} s.`);
      try {
        await take(this.guild, guildId, (s) => `This server has run a lot of rounds in the last minute; try again in ${s} s.`);
      } catch (e) {
        await this.member.reward(memberKey, 1);
        throw e;
      }
    } catch (e) {
      await this.inFlight.delete(memberKey);
      throw e;
    }
    return async () => {
      await this.inFlight.delete(memberKey);
    };
  }
}

async function take(limiter: RateLimiterAbstract, key: string, refusal: (seconds: number) => string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new BotRefusal(refusal(Math.max(1, Math.ceil(e.msBeforeNext / 1000))));
    throw e;
  }
}

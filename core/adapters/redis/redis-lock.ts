import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { MirageError } from '../../errors.js';
import type { HeldLock, LockTiming } from '../../ports/worker-stores.js';

/** Takes the lock when free, or when an earlier attempt of the same owner left it behind. */
const ACQUIRE = `
local held = redis.call('GET', KEYS[1])
if (not held) or string.sub(held, 1, string.len(ARGV[3])) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A lock in Redis shared by every worker process, held by one job.
 *
 * The value is "<owner>|<random>", where the owner is the BullMQ job id. BullMQ hands a job to a
 * second worker only after the first lost it (it died or stalled), so a lock carrying the same
 * owner was left by that dead attempt and is taken over at once instead of waiting for it to
 * expire. The random part is the fencing token: writes guarded by the lock (see
 * RedisSessionStore.commit) check it atomically, so an attempt whose lock was taken over can
 * no longer write. It is renewed every third of its ttl while held.
 */
export class RedisLock implements HeldLock {
  private renewal: NodeJS.Timeout | undefined;
  private lostIt = false;

  private constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly token: string,
    private readonly ttlMs: number,
  ) {
    this.renewal = setInterval(() => void this.renew(), Math.max(10, Math.floor(ttlMs / 3)));
    this.renewal.unref();
  }

  static async tryAcquire(redis: Redis, key: string, owner: string, ttlMs: number): Promise<RedisLock | undefined> {
    const ownerTag = `${owner}|`;
    const token = `${ownerTag}${randomUUID()}`;
    const taken = await redis.eval(ACQUIRE, 1, key, token, ttlMs, ownerTag);
    return taken === 1 ? new RedisLock(redis, key, token, ttlMs) : undefined;
  }

  /** Polls with a growing pause (25 ms to 250 ms) until the lock is free; TIMEOUT after waitMs. */
  static async acquire(
    redis: Redis,
    key: string,
    owner: string,
    timing: LockTiming,
    what: string,
    signal?: AbortSignal,
  ): Promise<RedisLock> {
    const deadline = Date.now() + timing.waitMs;
    for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
      signal?.throwIfAborted();
      const lock = await RedisLock.tryAcquire(redis, key, owner, timing.ttlMs);
      if (lock) return lock;
      if (Date.now() + pause > deadline) {
        throw new MirageError('TIMEOUT', `${what} is busy: another request held it for more than ${timing.waitMs} ms.`);
      }
      await sleep(pause, undefined, signal ? { signal } : {});
    }
  }

  /** True once a renewal found the lock gone or taken over; guarded writes will then fail. */
  get lost(): boolean {
    return this.lostIt;
  }

  async assertHeld(): Promise<void> {
    if ((await this.redis.get(this.key)) !== this.token) {
      this.lostIt = true;
      throw new MirageError('TIMEOUT', `The lock ${this.key} was taken over by another job (this one stalled or its lock expired).`);
    }
  }

  async release(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }

  private async renew(): Promise<void> {
    try {
      const renewed = await this.redis.eval(RENEW, 1, this.key, this.token, this.ttlMs);
      if (renewed !== 1) {
        this.lostIt = true;
        clearInterval(this.renewal);
      }
    } catch {
      // Redis is unreachable: the next tick tries again; if the lock expires meanwhile, the
      // guarded write notices.
    }
  }
}
